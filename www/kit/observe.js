// Perceived measurement: time the paints that make response text visible.
import { diag } from './core.js';

/** Elements whose text does not count as visible response text (typing indicators, hidden nodes). */
export const DEFAULT_IGNORE = '[hidden], [aria-hidden="true"], [data-cv-ignore], .typing-indicator, script, style, template';

/** Characters of text under `root` a user can see (skips ignored subtrees and display:none elements). */
export function visibleChars(root, ignore = DEFAULT_IGNORE) {
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
    if (el && el !== root && el.checkVisibility && !el.checkVisibility()) continue;
    // Unicode code points, as the core counts characters (a surrogate pair is one character).
    if (t.data.trim()) n += t.data.length - (t.data.match(/[\uDC00-\uDFFF]/g)?.length ?? 0);
  }
  return n;
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
 * Binds an element (or a selector that may match an element created later) to a measured response: every DOM
 * change that grows the visible text is timed at the paint that shows it and recorded with handle.paint().
 * Returns a function that stops observing.
 * @param {Element|string} target
 * @param {{paint: Function, live: boolean}} handle from begin()
 * @param {{ignore?: string}} [options]
 */
export function observe(target, handle, options = {}) {
  const ignore = options.ignore ?? DEFAULT_IGNORE;
  let el = typeof target === 'string' ? document.querySelector(target) : target;
  let lastChars = 0;
  let pending = false;
  let stopped = false;
  // Visible chars are counted incrementally when the DOM only grows by text nodes (the streaming case: one walk per
  // frame over the whole answer made long answers quadratic, BENCHMARKS.md row 4); any other change (removals,
  // edited text, new elements) marks the count dirty and the next paint recounts the whole subtree.
  let counted = 0;
  let added = 0;
  let dirty = true;
  const visibleParent = (p) => p === el || (el.contains(p) && !p.closest(ignore) && (!p.checkVisibility || p.checkVisibility()));
  const textChars = (t) => (t.data.trim() ? t.data.length - (t.data.match(/[\uDC00-\uDFFF]/g)?.length ?? 0) : 0);
  const account = (records) => {
    if (dirty) return;
    for (const r of records) {
      if (r.type !== 'childList' || r.removedNodes.length || !el.contains(r.target)) { dirty = true; return; }
      for (const n of r.addedNodes) {
        if (n.nodeType !== Node.TEXT_NODE) { dirty = true; return; }
      }
    }
    // Parents are checked once per batch, after every record is known to be a plain text append.
    for (const r of records) {
      if (!visibleParent(r.target)) continue;
      for (const n of r.addedNodes) added += textChars(n);
    }
  };
  const chars = () => {
    if (!el) return 0;
    if (dirty) { counted = visibleChars(el, ignore); dirty = false; } else counted += added;
    added = 0;
    return counted;
  };
  const onMutation = () => {
    if (pending || stopped) return;
    pending = true;
    afterNextPaint((t) => {
      pending = false;
      if (stopped) return;
      try {
        const now = chars();
        if (now > lastChars) { lastChars = now; handle.paint(now, t); }
      } catch (e) { diag('observe', e); }
    });
  };
  const mo = new MutationObserver((records) => {
    if (!el && typeof target === 'string') el = document.querySelector(target);
    if (!el) return;
    try { account(records); } catch (e) { dirty = true; diag('observe', e); }
    onMutation();
  });
  try {
    // A selector may match an element created later (frameworks create the bubble on first token): watch the body.
    mo.observe(el && typeof target !== 'string' ? el : document.body, { childList: true, characterData: true, subtree: true });
  } catch (e) { diag('observe', e); }
  return () => { stopped = true; mo.disconnect(); };
}
