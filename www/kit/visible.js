// What counts as visible response text: the full walk over an element (the reference count every incremental count
// must agree with, tests/e2e/observe-count.test.mjs) and the per-text-node rule the core uses.

/** Elements whose text does not count as visible response text (typing indicators, hidden nodes). */
export const DEFAULT_IGNORE = '[hidden], [aria-hidden="true"], [data-cv-ignore], .typing-indicator, [role="status"], '
  + 'script, style, template, noscript';

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
export function textChars(t) {
  return t.data.trim() ? t.data.length - (t.data.match(/[\uDC00-\uDFFF]/g)?.length ?? 0) : 0;
}
