// Perceived measurement: time the paints that make response text visible.
//
// observe() composes four parts, each in its own module with its own test:
//   visible.js        what counts as visible text (the full walk);
//   text-counter.js   the visible count kept from MutationObserver records, settled once per frame;
//   element-timing.js the browser's own first-paint times (elements marked with `elementtiming`);
//   paint-queue.js    paint/frame records waiting (bounded) for Element Timing or LoAF paint times.
// and the frame loop of frames.js. Attribution cannot run ahead of the screen: a frame is credited only with text
// that was in the DOM when its rAF callback ran, i.e. before its rendering began. Text committed later — in a task
// after the paint, e.g. React's scheduler — is counted in the next frame.
import { diag } from './core.js';
import { onEveryFrame, onLongFrame, flushLongFrames, loafPaintTime } from './frames.js';
import { DEFAULT_IGNORE, visibleChars } from './visible.js';
import { createTextCounter } from './text-counter.js';
import { createPaintQueue } from './paint-queue.js';
import { elementTimingSupported, onElementTiming, flushElementTiming, createMarker, isOwnMark } from './element-timing.js';

export { DEFAULT_IGNORE, visibleChars };

/** How long a paint waits for its browser entries (Element Timing, LoAF), then keeps the post-frame time. */
const ENTRY_WAIT_MS = 1000;
/** A frame this long or longer may get a LoAF entry. */
const LONG_FRAME_MS = 50;

/** Calls `cb(paintTimeMs)` after the next frame is painted: rAF (before paint) + a task queued from it (after). */
export function afterNextPaint(cb) {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => cb(performance.now());
    ch.port2.postMessage(null);
  });
}

/** The observed element: a fixed element, or a selector queried again when the DOM outside it changes. */
function createTarget(target) {
  const selector = typeof target === 'string' ? target : null;
  const find = () => {
    try { return document.querySelector(selector); } catch (e) { diag('observe', e); return null; }
  };
  return {
    selector,
    initial: () => (selector ? find() : target),
    find,
    /** The element matching the selector that is `node` or holds it (null for a fixed element). */
    closest: (node) => { try { return selector ? node.closest(selector) : null; } catch { return null; } },
  };
}

/**
 * Binds an element (or a selector that may match an element created later, e.g. a bubble created on the first
 * token) to a measured response. In every frame while the response is live and the DOM changed, the visible text
 * under the element is counted in the frame's rAF callback (Unicode code points, ignoring `options.ignore` subtrees
 * and hidden elements); when it grew, handle.paint(chars, paintMs, source, presentedMs) is recorded after the frame's
 * paint, then handle.frame(frameStartMs) (frames that left arrived text unpainted).
 *
 * Paint time, best source first (the report's `paintSource` says which timed the first paint):
 *   'element-timing'        the browser's Element Timing paintTime (Chrome 145+), first paint only: new
 *                           text-bearing elements are marked with `elementtiming="chat-vitals"` before their first
 *                           paint (an app's own attribute is kept and used); presentationTime beside it;
 *   'long-animation-frame'  the LoAF entry's paintTime for frames ≥ 50 ms (Chrome 145+);
 *   'frame'                 a task posted from the frame's rAF callback, which runs after the paint: late by the
 *                           tasks queued before it (never early), one frame late for text the app adds in a rAF
 *                           callback that runs after the kit's (docs/METRICS.md, "Paint sources").
 * Binding after the request started works (the first count is what is already visible). Stops by itself when the
 * handle ends; returns a function that stops earlier (it flushes pending paints first).
 * @param {Element|string} target
 * @param {{paint: Function, frame?: Function, live: boolean, onEnd?: Function}} handle from begin()
 * @param {{ignore?: string, baseline?: boolean, paints?: 'all'|'first', elementTiming?: boolean}} [options]
 *   baseline: text visible at bind time is not response text (bind at request start); without it, a late binding
 *   counts what is already visible as painted now. paints 'first': only the first paint with text is timed
 *   (perceived TTFT); then the frame loop and the MutationObserver stop, so the page pays for them only until the
 *   answer first shows (BENCHMARKS.md row 4); render lag, bursts and frame counts are then `null` in the report
 *   (`paintScope: "first"`). elementTiming false: set no attribute, use no Element Timing entries.
 */
export function observe(target, handle, options = {}) {
  if (!handle?.live) return () => {};
  const ignore = options.ignore ?? DEFAULT_IGNORE;
  const firstOnly = options.paints === 'first';
  if (firstOnly) handle.firstPaintOnly?.(); // per handle: its other observers then time only the first paint too
  const tgt = createTarget(target);
  const counter = createTextCounter(ignore, isOwnMark);
  // Until the first paint is queued, new elements are marked for Element Timing (then marking stops).
  let marker = options.elementTiming !== false && elementTimingSupported ? createMarker(ignore) : null;
  let el = tgt.initial();
  counter.setElement(el);
  marker?.mark(el, performance.now(), false);
  let lastChars = 0; // visible chars at the last paint (or the baseline)
  if (options.baseline && el) {
    // Bound at request start (wrapFetch's `observe` option): text already visible belongs to earlier messages.
    lastChars = counter.count();
  }
  let firstQueued = false; // a paint with text is queued (paints 'first': nothing more is observed)
  let stopped = false;
  const queue = createPaintQueue((item) => {
    try {
      if (item.kind === 'paint') handle.paint(item.chars, item.at, item.source, item.presentedAt);
      else handle.frame?.(item.at);
    } catch (e) { diag('observe', e); }
  }, { waitMs: ENTRY_WAIT_MS });

  // The frame loop runs only while there is something to time: a DOM change, or a chunk that arrived and is not
  // painted yet (frames that leave arrived text unpainted are counted then). An unconditional rAF loop made Chrome
  // render every frame of a 1000 tokens/s stream it would otherwise batch: +650 ms layout, +10 % main-thread time on
  // the page (BENCHMARKS.md row 4). The loop stops after a frame with neither and restarts on the next one.
  let looping = false;
  let stopFrames = () => {};
  let lastChunkAt = -Infinity;
  let paintedUpTo = -Infinity; // rAF time of the last paint: chunks stamped before it reached that count
  let prevPaintAt = null;
  let counted = null; // {rafAt, chars, changed}: this frame's count, taken in its rAF callback
  let flushTimer = null;
  const wake = () => {
    if (looping || stopped || (firstOnly && firstQueued)) return;
    looping = true;
    stopFrames = onEveryFrame(onFramePainted, onFrameStart);
  };
  const sleep = () => {
    looping = false;
    stopFrames();
    prevPaintAt = null;
    counted = null;
    // Paints still waiting for browser entries are flushed once those had their chance, without keeping frames up.
    if (queue.length && flushTimer === null) {
      flushTimer = setTimeout(() => { flushTimer = null; if (!stopped) queue.flush(true); }, ENTRY_WAIT_MS);
    }
  };

  // In the frame's rAF callback, before its style, layout and paint: what this frame can show.
  function onFrameStart(rafAt) {
    if (stopped) return;
    try { noteMutations(mo.takeRecords()); } catch (e) { diag('observe', e); }
    const changed = counter.changed;
    if (counter.requery && tgt.selector) {
      // `.assistant:last-child` moves to the new bubble when the app creates it: a different element starts from zero.
      const now = tgt.find();
      if (now !== el) { el = now; lastChars = 0; counter.setElement(el); marker?.mark(el, rafAt, false); }
    }
    counter.clearRequery();
    // Settles what was noted (the first frame walks the element: what is already visible).
    counted = { rafAt, chars: counter.count(), changed };
  }

  // After the frame's paint (a task posted from its rAF callback).
  function onFramePainted(rafAt, paintAt) {
    if (stopped) return;
    const c = counted;
    counted = null;
    // A frame whose rAF callback this observer missed (it joined in between) is counted from the next one.
    if (!c || c.rafAt !== rafAt) return;
    // A frame is possibly long when it took ≥ 50 ms since the previous one (or, first after a pause, from its rAF
    // to its paint); its paint then waits for the LoAF entry's paintTime.
    const sinceMs = prevPaintAt === null ? paintAt - rafAt : paintAt - prevPaintAt;
    const waitLoaf = loafPaintTime && sinceMs >= LONG_FRAME_MS;
    prevPaintAt = paintAt;
    if (c.chars < lastChars) lastChars = c.chars; // the app cleared or replaced the text: a new baseline, not a paint
    if (c.chars > lastChars) {
      lastChars = c.chars;
      paintedUpTo = rafAt;
      const elements = marker ? marker.withText(el) : null;
      queue.paint({ chars: c.chars, rafAt, paintAt, waitLoaf, elements });
      if (!firstQueued) { firstQueued = true; marker?.clear(); marker = null; }
    }
    queue.frame(rafAt);
    queue.flush(false);
    if (firstOnly && firstQueued) {
      // paints: 'first': the only paint that will be timed is queued; stop watching (entry waits still flush it).
      mo.disconnect();
      stopChunks();
      sleep();
      return;
    }
    const active = c.changed || counter.changed || lastChunkAt > paintedUpTo;
    if (!active) sleep();
  }

  // Mutation records: counted per frame; until the first paint, new elements are marked for Element Timing (in the
  // mutation callback, i.e. in the task that added them, before any paint could show them).
  const noteMutations = (records) => {
    if (!records.length) return;
    counter.note(records);
    if (!marker) return;
    const at = performance.now();
    for (const r of records) {
      if (r.type !== 'childList') continue;
      for (const n of r.addedNodes) {
        if (n.nodeType !== Node.ELEMENT_NODE) continue;
        if (el && el.contains(n)) { marker.mark(n, at, true); continue; }
        // Inside the element a selector will move to at the next frame (the new bubble, or the bubble itself).
        const host = tgt.closest(n);
        if (host === n) marker.mark(n, at, true);
        else if (host) { marker.mark(host, at, false); marker.mark(n, at, true); }
      }
    }
  };
  const mo = new MutationObserver((records) => {
    try { noteMutations(records); } catch (e) { diag('observe', e); }
    wake();
  });
  try {
    // A selector may match an element created later (frameworks create the bubble on first token): watch the body.
    mo.observe(tgt.selector ? document.documentElement : el, { childList: true, characterData: true, subtree: true, attributes: true });
  } catch (e) { diag('observe', e); }
  const stopLoaf = loafPaintTime ? onLongFrame((entry) => { queue.longFrame(entry); queue.flush(false); }) : () => {};
  const stopEt = marker ? onElementTiming((entry) => { marker?.seen(entry.element); queue.elementTiming(entry); queue.flush(false); }) : () => {};
  const stopChunks = handle.onChunk ? handle.onChunk((atMs) => { lastChunkAt = atMs ?? performance.now(); wake(); }) : () => {};
  let stopEnd = () => {};
  wake(); // the first frame counts what is already visible

  function stop() {
    if (stopped) return;
    flushLongFrames();
    flushElementTiming();
    queue.flush(true);
    stopped = true;
    mo.disconnect();
    stopFrames();
    if (flushTimer !== null) clearTimeout(flushTimer);
    stopChunks();
    stopLoaf();
    stopEt();
    stopEnd();
  }
  stopEnd = handle.onEnd ? handle.onEnd(stop) : () => {};
  return stop;
}
