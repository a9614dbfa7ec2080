// Element Timing (Chromium 77+; `paintTime`/`presentationTime` on its entries from Chrome 145): the browser's own
// time of an element's first text paint. observe() marks new text-bearing elements with an `elementtiming`
// attribute before their first paint — the only change the kit makes to the app's DOM, and only until the first
// paint of a response is timed — and one shared PerformanceObserver hands `text-paint` entries to the observers.
//
// What the browser reports (measured in Chromium 156, www/test-pages/scheduler.html): one entry per element, for the
// first paint of text whose nearest block-level ancestor is that element (an inline <span> with the attribute gets
// none; its block does); an element whose text was painted before it got the attribute gets none; an element marked
// while empty gets its entry when text first paints in it. Entries arrive ~15–25 ms after the paint.
import { diag } from './core.js';

/** The attribute the kit sets (its value: `chat-vitals`; an app's own value is never replaced). */
export const ELEMENT_TIMING_ATTR = 'elementtiming';
export const ELEMENT_TIMING_VALUE = 'chat-vitals';
/** Most elements marked per observed response (a markdown answer adds a few per paragraph). */
export const MAX_MARKED = 64;

/** True when the browser reports Element Timing. */
export const elementTimingSupported = typeof PerformanceObserver !== 'undefined'
  && !!PerformanceObserver.supportedEntryTypes?.includes('element');

const subs = new Set();
let po = null;

function dispatch(entries) {
  for (const e of entries) {
    if (e.name !== 'text-paint' || !e.element) continue;
    for (const sub of [...subs]) { try { sub(e); } catch (err) { diag('element-timing', err); } }
  }
}

/** Calls `cb(entry)` for every `text-paint` entry until the returned function is called. */
export function onElementTiming(cb) {
  if (!elementTimingSupported) return () => {};
  if (!po) {
    try {
      po = new PerformanceObserver((list) => dispatch(list.getEntries()));
      po.observe({ type: 'element' });
    } catch (e) { diag('element-timing', e); po = null; return () => {}; }
  }
  subs.add(cb);
  return () => subs.delete(cb);
}

/** Delivers entries the browser has queued but not yet handed to the observer (before a response ends). */
export function flushElementTiming() {
  try { if (po) dispatch(po.takeRecords()); } catch (e) { diag('element-timing', e); }
}

/** True for the kit's own attribute writes (the text counter disregards them). */
export function isOwnMark(record) {
  return record.type === 'attributes' && record.attributeName === ELEMENT_TIMING_ATTR
    && record.target.getAttribute?.(ELEMENT_TIMING_ATTR) === ELEMENT_TIMING_VALUE;
}

/**
 * The elements one observer marked or found marked (by the app), with when. `mark(el, at, fresh)`: `fresh` = just
 * added to the DOM (not painted yet); an element that is not fresh is marked only while it has no text, since the
 * browser reports only the first text paint of an element and an already painted one would never report.
 */
export function createMarker(ignore) {
  let marks = [];
  const known = new WeakSet();
  const painted = new WeakSet(); // marked elements whose one entry already came (it will not come again)
  const add = (el, at) => {
    if (known.has(el) || marks.length >= MAX_MARKED) return;
    known.add(el);
    if (!el.hasAttribute(ELEMENT_TIMING_ATTR)) el.setAttribute(ELEMENT_TIMING_ATTR, ELEMENT_TIMING_VALUE);
    marks.push({ element: el, markedAt: at });
  };
  return {
    mark(el, at, fresh) {
      try {
        if (!el || el.nodeType !== Node.ELEMENT_NODE || el.closest(ignore)) return;
        if (!fresh && el.textContent.trim()) return;
        add(el, at);
        // Block descendants of an added subtree (a markdown list's items) report their own text.
        if (fresh) for (const d of el.querySelectorAll('*')) { if (marks.length >= MAX_MARKED) break; if (!d.closest(ignore)) add(d, at); }
      } catch (e) { diag('element-timing', e); }
    },
    /** The browser reported `el`'s first text paint (e.g. a typing indicator's): no later paint of it will be. */
    seen(el) { painted.add(el); },
    /** Marked elements inside `root` that hold text now and can still report (candidates for the paint being queued). */
    withText(root) {
      return marks.filter((m) => !painted.has(m.element) && m.element.isConnected && root?.contains(m.element)
        && m.element.textContent.trim() !== '');
    },
    /** Forgets every mark (after the first paint: later paints are timed by frames). Attributes stay. */
    clear() { marks = []; },
  };
}
