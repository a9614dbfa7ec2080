// Perceived measurement: time the paints that make response text visible.
import { diag } from './core.js';
import { onEveryFrame, onLongFrame, flushLongFrames, loafPaintTime } from './frames.js';

/** Elements whose text does not count as visible response text (typing indicators, hidden nodes). */
export const DEFAULT_IGNORE = '[hidden], [aria-hidden="true"], [data-cv-ignore], .typing-indicator, [role="status"], '
  + 'script, style, template, noscript';

/** How long a paint in a possibly long frame waits for its LoAF entry (then keeps the post-frame time). */
const LOAF_WAIT_MS = 1000;
/** A frame this long or longer may get a LoAF entry. */
const LONG_FRAME_MS = 50;

/**
 * Characters of text under `root` a user can see (skips ignored subtrees and display:none elements). The root's own
 * visibility is not asked unless `checkRoot` (the observed element counts as visible; an added element inside it
 * does not).
 */
export function visibleChars(root, ignore = DEFAULT_IGNORE, checkRoot = false) {
  let n = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      if (node.matches(ignore)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_SKIP;
    },
  });
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    // checkVisibility() (Chrome 105+) covers display:none / content-visibility ancestors; skip when unavailable.
    if (el && (el !== root || checkRoot) && el.checkVisibility && !el.checkVisibility()) continue;
    n += textChars(t);
  }
  return n;
}

/** Characters of a text node as the core counts them: Unicode code points (a surrogate pair is one); blank = 0. */
function textChars(t) {
  return t.data.trim() ? t.data.length - (t.data.match(/[\uDC00-\uDFFF]/g)?.length ?? 0) : 0;
}

/** Calls `cb(paintTimeMs)` after the next frame is painted: rAF (before paint) + a task queued from it (after). */
export function afterNextPaint(cb) {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => cb(performance.now());
    ch.port2.postMessage(null);
  });
}

/**
 * Binds an element (or a selector that may match an element created later, e.g. a bubble created on the first
 * token) to a measured response. Every frame while the response is live, if the DOM changed, the visible text
 * under the element is counted (Unicode code points, ignoring `options.ignore` subtrees and hidden elements); when
 * it grew, handle.paint(chars, paintMs) is recorded, then handle.frame(frameStartMs) (frames that left arrived
 * text unpainted). Paint time: the LoAF entry's `paintTime` for long frames where the browser has it (Chrome
 * 145+), else the time of a task posted from the frame's rAF callback (runs right after the frame's paint).
 * Binding after the request started works (the first check counts what is already visible). Stops by itself when
 * the handle ends; returns a function that stops earlier (it flushes pending paints first).
 * @param {Element|string} target
 * @param {{paint: Function, frame?: Function, live: boolean, onEnd?: Function}} handle from begin()
 * @param {{ignore?: string, baseline?: boolean, paints?: 'all'|'first'}} [options] baseline: text visible at bind
 *   time is not response text (bind at request start); without it, a late binding counts what is already visible as
 *   painted now. paints 'first': only the first paint with text is timed (perceived TTFT); then the frame loop and
 *   the MutationObserver stop, so the page pays for them only until the answer first shows (BENCHMARKS.md row 4).
 *   Render lag, bursts and frame counts are then `null` in the report (`paintScope: "first"`).
 */
export function observe(target, handle, options = {}) {
  if (!handle?.live) return () => {};
  const ignore = options.ignore ?? DEFAULT_IGNORE;
  const firstOnly = options.paints === 'first';
  if (firstOnly) handle.firstPaintOnly?.(); // per handle: its other observers then time only the first paint too
  let firstDone = false; // firstOnly: the first paint is queued; nothing more is observed
  const selector = typeof target === 'string' ? target : null;
  const find = () => {
    try { return document.querySelector(selector); } catch (e) { diag('observe', e); return null; }
  };
  let el = selector ? find() : target;
  let dirty = true;
  let requery = false;
  let lastChars = 0;
  let counted = 0; // visible chars under `el` at the last count
  if (options.baseline && el) {
    // Bound at request start (wrapFetch's `observe` option): text already visible belongs to earlier messages.
    try { lastChars = visibleChars(el, ignore); } catch (e) { diag('observe', e); }
  }
  let prevPaintAt = null;
  let stopped = false;
  // Paint and frame records in frame order; a paint in a possibly long frame waits for its LoAF paintTime.
  const queue = [];

  const flush = (force) => {
    const now = performance.now();
    while (queue.length) {
      const item = queue[0];
      if (!item.resolved && !force && now - item.at < LOAF_WAIT_MS) break;
      queue.shift();
      try {
        if (item.kind === 'paint') handle.paint(item.chars, item.at);
        else handle.frame?.(item.at);
      } catch (e) { diag('observe', e); }
    }
  };

  // The frame loop runs only while there is something to time: a DOM change, or a chunk that arrived since the last
  // paint (frames that leave arrived text unpainted are counted then). An unconditional rAF loop made Chrome render
  // every frame of a 1000 tokens/s stream it would otherwise batch: +650 ms layout, +10 % main-thread time on the
  // page (BENCHMARKS.md row 4). The loop stops after a frame with neither and restarts on the next one.
  let looping = false;
  let stopFrames = () => {};
  let arrivedSincePaint = false;
  let flushTimer = null;
  const wake = () => {
    if (looping || stopped || firstDone) return;
    looping = true;
    stopFrames = onEveryFrame(onFrame, beforeFrame);
  };
  const sleep = () => {
    looping = false;
    stopFrames();
    prevPaintAt = null;
    // Paints still waiting for a LoAF entry are flushed once it had its chance, without keeping frames running.
    if (queue.length && flushTimer === null) {
      flushTimer = setTimeout(() => { flushTimer = null; if (!stopped) flush(true); }, LOAF_WAIT_MS);
    }
  };

  const onFrame = (rafAt, paintAt) => {
    if (stopped) return;
    const active = dirty || requery || pendingText.size > 0 || pendingEls.size > 0 || arrivedSincePaint;
    let chars = lastChars;
    if ((dirty || requery) && selector) {
      // Re-query: `.assistant:last-child` moves to the new bubble when the app creates it. A different element
      // starts from zero visible response text.
      const now = find();
      if (now !== el) { el = now; lastChars = 0; dirty = true; }
    }
    requery = false;
    if (dirty) {
      dirty = false;
      try { chars = el ? visibleChars(el, ignore) : 0; } catch (e) { diag('observe', e); }
      if (chars < lastChars) lastChars = chars; // the app cleared or replaced the text: a new baseline, not a paint
      counted = chars;
      pendingText.clear();
      pendingEls.clear();
    } else if (pendingText.size || pendingEls.size) {
      try { counted += settleAdded(); } catch (e) { dirty = true; diag('observe', e); }
      chars = counted;
    }
    // A frame is possibly long when it took ≥ 50 ms since the previous one (or, first after a pause, from its rAF
    // to its paint); its paint then waits for the LoAF entry's paintTime.
    const sinceMs = prevPaintAt === null ? paintAt - rafAt : paintAt - prevPaintAt;
    const maybeLong = loafPaintTime && sinceMs >= LONG_FRAME_MS;
    prevPaintAt = paintAt;
    if (chars > lastChars) {
      lastChars = chars;
      arrivedSincePaint = false;
      queue.push({ kind: 'paint', chars, at: paintAt, rafAt, resolved: !maybeLong });
      firstDone = firstOnly;
    }
    queue.push({ kind: 'frame', at: rafAt, resolved: true });
    flush(false);
    if (firstDone) {
      // paints: 'first': the only paint that will be timed is queued; stop watching (a LoAF wait still flushes it).
      mo.disconnect();
      stopChunks();
      sleep();
    } else if (!active) sleep();
  };

  const onLoaf = (entry) => {
    const paintTime = entry.paintTime;
    if (!(paintTime > 0)) return;
    for (const item of queue) {
      if (item.resolved || item.kind !== 'paint') continue;
      if (item.rafAt >= entry.startTime && item.rafAt <= entry.startTime + entry.duration) {
        item.at = Math.min(item.at, Math.max(item.rafAt, paintTime));
        item.resolved = true;
      }
    }
    flush(false);
  };

  // Visible chars are counted incrementally while the DOM inside the element only grows (the streaming case: text
  // appended, elements such as a markdown renderer's paragraphs added). One full walk per frame over the whole answer
  // made long answers quadratic (BENCHMARKS.md row 4). Removals, edited text and attribute changes inside the element
  // mark the count dirty; the next frame recounts. Outside the element only what could move a selector to another
  // element matters (elements added or removed, attributes): the next frame re-queries and recounts if it moved;
  // attribute changes on its ancestors and added or removed style sheets recount (they can hide or show its text).
  // The mutation callback only notes what was added; the count is settled once per frame (see `visibility` below for
  // when visibility is asked): `checkVisibility()` needs up-to-date style, so asking it in every mutation callback
  // forced a style recalc after each of the app's DOM writes. Text already counted that CSS alone hides later (e.g. a
  // `:has()` rule) is corrected at the next full recount.
  const pendingText = new Map(); // parent element → chars of text nodes appended to it since the last frame
  const pendingEls = new Set(); // elements added inside the element since the last frame (counted by a walk)
  const ignoredBelowEl = (p) => { const c = p.closest(ignore); return c !== null && c !== el && el.contains(c); };
  // Parents checked in this frame (a parent with several appends is asked once). Not kept across frames: shape-based
  // selectors (`:empty`, `:has()`, `:last-child`) change visibility when nodes are only added. The parents known at
  // the frame's rAF callback are asked there (`beforeFrame`): the style that forces is the frame's own, while asking
  // after the paint, with the app's next writes in between, forced an extra style recalc per frame.
  let visibility = new WeakMap();
  let checkedAtRaf = false; // false when a subscriber joined between this frame's rAF and its paint
  const beforeFrame = () => {
    visibility = new WeakMap();
    checkedAtRaf = true;
    if (dirty || !el) return;
    try { for (const p of pendingText.keys()) visibleParent(p); } catch (e) { diag('observe', e); }
  };
  const visibleParent = (p) => {
    if (p === el) return true;
    let v = visibility.get(p);
    if (v === undefined) {
      v = el.contains(p) && !ignoredBelowEl(p) && (!p.checkVisibility || p.checkVisibility());
      visibility.set(p, v);
    }
    return v;
  };
  // True when `node` is, or is inside, an element added this frame (its walk counts the node's text already).
  const inAddedElement = (node) => {
    if (!pendingEls.size) return false;
    for (let a = node; a && a !== el; a = a.parentNode) if (pendingEls.has(a)) return true;
    return false;
  };
  const settleAdded = () => {
    if (!checkedAtRaf) visibility = new WeakMap();
    checkedAtRaf = false;
    let n = 0;
    for (const e of pendingEls) {
      if (inAddedElement(e.parentNode)) continue; // counted with its added ancestor
      // As the full walk does: each text node's own parent decides (an added `display: contents` wrapper has no box
      // of its own, its children do), so `e` itself is checked only for the text directly under it.
      if (e.isConnected && el.contains(e) && !ignoredBelowEl(e)) n += visibleChars(e, ignore, true);
    }
    for (const [p, chars] of pendingText) if (!inAddedElement(p) && visibleParent(p)) n += chars;
    pendingEls.clear();
    pendingText.clear();
    return n;
  };
  const isStyleSheet = (n) => n.nodeName === 'STYLE' || (n.nodeName === 'LINK' && /stylesheet/i.test(n.rel ?? ''));
  const onlyTextAdded = (r) => r.type === 'childList' && !r.removedNodes.length
    && [...r.addedNodes].every((n) => n.nodeType === Node.TEXT_NODE);
  const account = (records) => {
    if (dirty || !el) { dirty = true; return; }
    for (const r of records) {
      if (!el.contains(r.target)) {
        if (r.type === 'attributes' && r.target.contains(el)) { dirty = true; return; } // an ancestor: may hide text
        if (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].some(isStyleSheet)) { dirty = true; return; }
        if (r.type !== 'characterData' && !onlyTextAdded(r)) requery = true;
        continue;
      }
      if (r.type !== 'childList' || r.removedNodes.length) { dirty = true; return; }
      for (const n of r.addedNodes) {
        if (n.nodeType === Node.TEXT_NODE) {
          const chars = textChars(n);
          if (chars) pendingText.set(r.target, (pendingText.get(r.target) ?? 0) + chars);
        } else if (n.nodeType === Node.ELEMENT_NODE) {
          pendingEls.add(n);
        }
      }
    }
  };
  const mo = new MutationObserver((records) => {
    try { account(records); } catch (e) { dirty = true; diag('observe', e); }
    wake();
  });
  try {
    // A selector may match an element created later (frameworks create the bubble on first token): watch the body.
    mo.observe(selector ? document.documentElement : el, { childList: true, characterData: true, subtree: true, attributes: true });
  } catch (e) { diag('observe', e); }
  const stopLoaf = loafPaintTime ? onLongFrame(onLoaf) : () => {};
  const stopChunks = handle.onChunk ? handle.onChunk(() => { arrivedSincePaint = true; wake(); }) : () => {};
  let stopEnd = () => {};
  wake(); // the first frame counts what is already visible

  function stop() {
    if (stopped) return;
    flushLongFrames();
    flush(true);
    stopped = true;
    mo.disconnect();
    stopFrames();
    if (flushTimer !== null) clearTimeout(flushTimer);
    stopChunks();
    stopLoaf();
    stopEnd();
  }
  stopEnd = handle.onEnd ? handle.onEnd(stop) : () => {};
  return stop;
}
