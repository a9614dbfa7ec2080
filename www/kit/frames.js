// Frame timing shared by every observed response: one rAF loop (frame start + a post-frame task ≈ paint) and one
// Long Animation Frame observer (long frames, their script attribution and, in Chrome 145+, their paintTime).
import { diag } from './core.js';

const hasDocument = typeof document !== 'undefined' && typeof requestAnimationFrame === 'function';

/** True when the browser reports Long Animation Frames (Chrome 123+). */
export const loafSupported = typeof PerformanceObserver !== 'undefined'
  && !!PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame');
/** True when LoAF entries carry `paintTime` (Chrome 145+): long frames' paints are timed from it. */
export const loafPaintTime = loafSupported && typeof PerformanceLongAnimationFrameTiming !== 'undefined'
  && 'paintTime' in PerformanceLongAnimationFrameTiming.prototype;

// ---- the frame loop -------------------------------------------------------------------------------------------
const frameSubs = new Set();
let looping = false;
const rafTimes = [];
let channel = null;
let frameNo = 0; // frames whose rAF callback ran
const afterFrames = []; // [{untilFrame, cb}]: run in a post-frame task, after the subscribers

function onPostFrame() {
  const paintAt = performance.now();
  const rafAt = rafTimes.shift();
  if (rafAt !== undefined) {
    for (const sub of [...frameSubs]) {
      try { sub.after(rafAt, paintAt); } catch (e) { diag('frame', e); }
    }
  }
  for (let i = 0; i < afterFrames.length;) {
    if (afterFrames[i].untilFrame > frameNo) { i++; continue; }
    const [{ cb }] = afterFrames.splice(i, 1);
    try { cb(); } catch (e) { diag('frame', e); }
  }
  // The next frame is asked for only now, after the subscribers saw this one (and could unsubscribe): a rAF
  // requested ahead from the rAF callback makes Chrome render frames it would otherwise batch (BENCHMARKS.md row 4).
  if (frameSubs.size || afterFrames.length) requestAnimationFrame(tick);
  else looping = false;
}

function tick() {
  // A rAF callback runs before this frame's style/layout/paint; a task queued from it runs after the paint.
  const rafAt = performance.now();
  frameNo++;
  rafTimes.push(rafAt);
  channel.port2.postMessage(null);
  for (const sub of [...frameSubs]) {
    if (!sub.before) continue;
    try { sub.before(rafAt); } catch (e) { diag('frame', e); }
  }
}

/**
 * Calls `cb(frameStartMs, paintMs)` after every rendered frame's paint, and `before(frameStartMs)` (optional) in the
 * frame's rAF callback, before its style and layout (style a subscriber forces there is the frame's own, not extra
 * work), until the returned function is called.
 */
export function onEveryFrame(cb, before) {
  if (!hasDocument) return () => {};
  const sub = { after: cb, before };
  frameSubs.add(sub);
  if (!channel) { channel = new MessageChannel(); channel.port1.onmessage = onPostFrame; }
  if (!looping) { looping = true; requestAnimationFrame(tick); }
  return () => frameSubs.delete(sub);
}

/**
 * Calls `cb()` once `frames` more frames have been rendered, in the post-frame task of the last one and after every
 * onEveryFrame subscriber saw it (so text an observer counted in those frames is handed to its handle first).
 * Without rendering (hidden page) nothing runs: callers keep a timeout for that.
 */
export function afterFramesPainted(frames, cb) {
  if (!hasDocument) return;
  afterFrames.push({ untilFrame: frameNo + frames, cb });
  if (!channel) { channel = new MessageChannel(); channel.port1.onmessage = onPostFrame; }
  if (!looping) { looping = true; requestAnimationFrame(tick); }
}

// ---- long animation frames ------------------------------------------------------------------------------------
const loafSubs = new Set();
let po = null;

function dispatch(entries) {
  if (!entries.length) return;
  for (const sub of [...loafSubs]) {
    for (const e of entries) {
      try { sub(e); } catch (err) { diag('long-animation-frame', err); }
    }
  }
}

function ensureObserver() {
  if (po || !loafSupported) return;
  try {
    po = new PerformanceObserver((list) => dispatch(list.getEntries()));
    po.observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { diag('long-animation-frame', e); po = null; }
}
// Observe from the start, so long frames between page load and the first response are buffered too.
ensureObserver();

/** Calls `cb(entry)` for every long animation frame entry until the returned function is called. */
export function onLongFrame(cb) {
  ensureObserver();
  if (!po) return () => {};
  loafSubs.add(cb);
  return () => loafSubs.delete(cb);
}

/** Delivers long-frame entries the browser has queued but not yet handed to the observer (before a handle ends). */
export function flushLongFrames() {
  try { if (po) dispatch(po.takeRecords()); } catch (e) { diag('long-animation-frame', e); }
}

/** Script attribution of one LoAF entry: its longest script (no text, URL without query or fragment). */
export function topScript(entry) {
  let top = null;
  for (const s of entry.scripts ?? []) if (!top || s.duration > top.duration) top = s;
  if (!top) return null;
  return {
    sourceURL: String(top.sourceURL ?? '').split(/[?#]/)[0],
    sourceFunctionName: top.sourceFunctionName ?? '',
    invoker: String(top.invoker ?? ''),
    invokerType: top.invokerType ?? '',
    durationMs: top.duration,
  };
}
