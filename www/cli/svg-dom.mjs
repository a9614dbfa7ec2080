// Just enough of the DOM for the audit page's SVG plots (www/audit/plots.js) to render in Node, serialized the way
// a browser's outerHTML serializes them (HTML fragment serialization: attributes in order, & " and U+00A0 escaped in
// values; & < > and U+00A0 in text). The merge CLI uses it so a merged report.html has the page's plots.
const escText = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/"/g, '&quot;');

class Element {
  constructor(name) { this.name = name; this.attrs = new Map(); this.children = []; this.text = ''; }
  setAttribute(k, v) { this.attrs.set(k, String(v)); }
  append(...nodes) { this.children.push(...nodes); }
  set textContent(t) { this.text = String(t); this.children = []; }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(''); }
  get outerHTML() {
    const attrs = [...this.attrs].map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');
    return `<${this.name}${attrs}>${escText(this.text)}${this.children.map((c) => c.outerHTML).join('')}</${this.name}>`;
  }
}

/** A `document` with createElementNS only. */
export const svgDocument = { createElementNS: (_ns, name) => new Element(name) };

/** Runs `fn` with `globalThis.document` set to svgDocument when there is no real one (Node). */
export function withSvgDocument(fn) {
  if (globalThis.document) return fn();
  globalThis.document = svgDocument;
  try { return fn(); } finally { delete globalThis.document; }
}
