// The visible-text count of one observed element, kept incrementally from MutationObserver records and settled once
// per frame (observe() asks in the frame's rAF callback, before that frame's style, layout and paint).
//
// While the DOM inside the element only grows (the streaming case: text appended, elements such as a markdown
// renderer's paragraphs added), added text and elements are noted per mutation and counted at the frame: one full
// walk per frame over the whole answer made long answers quadratic (BENCHMARKS.md row 4). Removals, edited text and
// attribute changes inside the element mark the count dirty, and the next count walks the element again. Outside the
// element only what could move a selector to another element matters (elements added or removed, attributes:
// `requery`); attribute changes on its ancestors and added or removed style sheets recount (they can hide or show its
// text). Visibility (`checkVisibility()`, which needs up-to-date style) is asked only when counting, never in the
// mutation callback, where it forced a style recalc after each of the app's DOM writes; it is asked fresh at every
// count, since shape-based selectors (`:empty`, `:has()`, `:last-child`) change it when nodes are only added. Text
// already counted that CSS alone hides later (e.g. a `:has()` rule) is corrected at the next full recount.
import { diag } from './core.js';
import { visibleChars, textChars } from './visible.js';

const isStyleSheet = (n) => n.nodeName === 'STYLE' || (n.nodeName === 'LINK' && /stylesheet/i.test(n.rel ?? ''));
const onlyTextAdded = (r) => r.type === 'childList' && !r.removedNodes.length
  && [...r.addedNodes].every((n) => n.nodeType === Node.TEXT_NODE);

/**
 * @param {string} ignore selector of subtrees whose text does not count
 * @param {(record: MutationRecord) => boolean} [skip] records to disregard (the kit's own attribute writes)
 */
export function createTextCounter(ignore, skip = () => false) {
  let el = null;
  let dirty = true; // the next count walks the whole element
  let requery = false; // something outside the element changed that may move a selector to another element
  let counted = 0; // visible chars at the last count
  const pendingText = new Map(); // parent element → chars of text nodes appended to it since the last count
  const pendingEls = new Set(); // elements added inside the element since the last count (counted by a walk)
  let visibility = new WeakMap(); // parent → visible, for one count

  const ignoredBelowEl = (p) => { const c = p.closest(ignore); return c !== null && c !== el && el.contains(c); };
  const visibleParent = (p) => {
    if (p === el) return true;
    let v = visibility.get(p);
    if (v === undefined) {
      v = el.contains(p) && !ignoredBelowEl(p) && (!p.checkVisibility || p.checkVisibility());
      visibility.set(p, v);
    }
    return v;
  };
  // True when `node` is, or is inside, an element added since the last count (its walk counts the node's text).
  const inAddedElement = (node) => {
    if (!pendingEls.size) return false;
    for (let a = node; a && a !== el; a = a.parentNode) if (pendingEls.has(a)) return true;
    return false;
  };
  const settleAdded = () => {
    let n = 0;
    for (const e of pendingEls) {
      if (inAddedElement(e.parentNode)) continue; // counted with its added ancestor
      // As the full walk does: each text node's own parent decides (an added `display: contents` wrapper has no box
      // of its own, its children do), so `e` itself is checked only for the text directly under it.
      if (e.isConnected && el.contains(e) && !ignoredBelowEl(e)) n += visibleChars(e, ignore, true);
    }
    for (const [p, chars] of pendingText) if (!inAddedElement(p) && visibleParent(p)) n += chars;
    return n;
  };
  const account = (records) => {
    if (dirty || !el) { dirty = true; return; }
    for (const r of records) {
      if (skip(r)) continue;
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

  return {
    get element() { return el; },
    /** Counts `next` from scratch at the next count (a selector moved to another element). */
    setElement(next) { el = next; dirty = true; },
    /** Notes what the mutation records changed (nothing is counted here). */
    note(records) {
      try { account(records); } catch (e) { dirty = true; diag('observe', e); }
    },
    /** The target may have moved (a selector should be queried again before the next count): any change but a
     * plain append inside the element. */
    get requery() { return requery || dirty; },
    clearRequery() { requery = false; },
    /** True when the DOM changed since the last count. */
    get changed() { return dirty || requery || pendingText.size > 0 || pendingEls.size > 0; },
    /** Visible chars under the element now (0 without one); settles what was noted since the last count. */
    count() {
      visibility = new WeakMap();
      if (!el) { dirty = false; pendingText.clear(); pendingEls.clear(); counted = 0; return 0; }
      if (!dirty && (pendingText.size || pendingEls.size)) {
        try { counted += settleAdded(); } catch (e) { dirty = true; diag('observe', e); }
      }
      pendingText.clear();
      pendingEls.clear();
      if (dirty) {
        dirty = false;
        try { counted = visibleChars(el, ignore); } catch (e) { diag('observe', e); }
      }
      return counted;
    },
  };
}
