// chat-vitals: the browser layer. Takes timestamps (performance.now()) and hands bytes + times to the wasm core;
// does no metric math itself. Every entry point is wrapped so that a measurement failure is recorded in
// `diagnostics` and never thrown into app code; the app always gets the same Response/bytes it would have got.
//
//   import { load, wrapFetch, session } from './chat-vitals.js';
//   await load();
//   const fetch2 = wrapFetch(fetch, { onReport: (r) => console.log(r.ttftMs) });
//
import init, * as core from './pkg/chat_vitals.js';

/** Measurement problems (never thrown to the app): [{ at, where, message }]. Bounded. */
export const diagnostics = [];
const MAX_DIAGNOSTICS = 100;
function diag(where, err) {
  if (diagnostics.length >= MAX_DIAGNOSTICS) diagnostics.shift();
  diagnostics.push({ at: performance.now(), where, message: String(err && err.message ? err.message : err) });
}

let ready = null;
/** Loads the wasm module once. Resolves true when measurement is available, false otherwise (never rejects). */
export function load(wasmUrl) {
  ready ??= init(wasmUrl ? { module_or_path: wasmUrl } : undefined).then(() => true, (e) => { diag('load', e); return false; });
  return ready;
}
let loaded = false;
load().then((ok) => { loaded = ok; });

/** The core module (for advanced use: Meter, Aggregate, checkBudget, thresholds). */
export { core };

/** A set of measured responses with their aggregate. */
export class Session {
  constructor(options = {}) {
    this.options = options;
    this.reports = [];
    this.listeners = new Set();
    this.aggregate = null;
    this.maxReports = options.maxReports ?? 1000;
  }
  _agg() {
    if (!this.aggregate && loaded) this.aggregate = new core.Aggregate(this.options.metrics ?? undefined);
    return this.aggregate;
  }
  /** @param {(report: object) => void} cb called with each finished response's report. Returns an unsubscribe fn. */
  onReport(cb) { this.listeners.add(cb); return () => this.listeners.delete(cb); }
  _finish(meter, warmup, extra) {
    let report = null;
    try {
      report = Object.assign(meter.report(), extra);
      this._agg()?.add(meter, !!warmup);
    } catch (e) { diag('report', e); }
    try { meter.free(); } catch (e) { diag('free', e); }
    if (!report) return null;
    if (this.reports.length >= this.maxReports) this.reports.shift();
    this.reports.push(report);
    for (const cb of this.listeners) { try { cb(report); } catch (e) { diag('onReport callback', e); } }
    return report;
  }
  /** Percentiles etc. of everything measured so far (null before the first response). */
  summary() { try { return this._agg()?.summary() ?? null; } catch (e) { diag('summary', e); return null; } }
  reset() { this.reports = []; try { this._agg()?.reset(); } catch (e) { diag('reset', e); } }
}

/** The default session every helper uses unless given another. */
export const session = new Session();

const NOOP_HANDLE = Object.freeze({
  live: false, id: null,
  markSend() {}, headers() {}, chunk() {}, paint() {}, end() { return null; }, report() { return null; }, takeText() { return ''; },
  invalidatePerceived() {},
});

let nextId = 1;
/**
 * Manual path (WebSocket, EventSource, custom transports): begin a measured response.
 * @param {{format?: string, firstTokenRule?: string, startMs?: number, warmup?: boolean, session?: Session,
 *          captureText?: boolean, label?: string}} [options]
 * @returns a handle with chunk(textOrBytes, atMs?), headers(status, headers, atMs?), paint(visibleChars, atMs?),
 *          end(outcome?, atMs?) → report. Never throws; before load() finished it is a no-op handle.
 */
export function begin(options = {}) {
  const startMs = options.startMs ?? performance.now();
  if (!loaded) { diag('begin', 'wasm not loaded yet; await load() first'); return NOOP_HANDLE; }
  const sess = options.session ?? session;
  let meter;
  try {
    meter = new core.Meter(startMs, meterOptions(options));
  } catch (e) { diag('begin', e); return NOOP_HANDLE; }
  const enc = new TextEncoder();
  const id = `cv-${Date.now()}-${nextId++}`;
  let ended = false;
  const guard = (where, fn) => (...args) => {
    if (ended) return undefined;
    try { return fn(...args); } catch (e) { diag(where, e); return undefined; }
  };
  const handle = {
    live: true, id, meter,
    markSend: guard('markSend', (atMs = performance.now()) => meter.markSend(atMs)),
    headers: guard('headers', (status, headers, atMs = performance.now()) => meter.headers(atMs, status, headerPairs(headers))),
    chunk: guard('chunk', (data, atMs = performance.now()) => {
      meter.chunk(atMs, typeof data === 'string' ? enc.encode(data) : data instanceof Uint8Array ? data : new Uint8Array(data));
    }),
    paint: guard('paint', (visibleChars, atMs = performance.now()) => meter.paint(atMs, visibleChars)),
    invalidatePerceived: guard('invalidatePerceived', (reason) => meter.invalidatePerceived(String(reason))),
    takeText: guard('takeText', () => meter.takeText()),
    report: guard('report', () => meter.report()),
    end: (outcome = 'eof', atMs = performance.now()) => {
      if (ended) return null;
      try { meter.end(atMs, outcome); } catch (e) { diag('end', e); }
      ended = true;
      return sess._finish(meter, options.warmup, { id, label: options.label ?? null });
    },
  };
  return handle;
}

function meterOptions(o) {
  const m = {};
  for (const k of ['format', 'firstTokenRule', 'stallThresholdMs', 'captureText', 'timelineCap', 'maxLineBytes']) {
    if (o[k] !== undefined) m[k] = o[k];
  }
  return m;
}

function headerPairs(h) {
  if (!h) return [];
  if (typeof h.entries === 'function') return Array.from(h.entries());
  return Object.entries(h).map(([k, v]) => [k, String(v)]);
}

/** True when `url` should be measured under `match` (string prefix/substring, RegExp, or predicate). */
function matches(match, url, init) {
  if (!match) return true;
  if (typeof match === 'function') return !!match(url, init);
  if (match instanceof RegExp) return match.test(url);
  return url.includes(String(match));
}

function urlOf(input) {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input?.url ?? String(input);
}

/**
 * Reads `body` as it arrives, timestamps each chunk and feeds the handle. Resolves {outcome, atMs} when the stream
 * is done ('eof' | 'aborted' | 'error'); ends the handle with it unless `end: false`. Never rejects.
 */
export async function pump(body, handle, signal, { end = true } = {}) {
  const reader = body.getReader();
  let result = null;
  const finish = (outcome, atMs = performance.now()) => {
    if (result) return;
    result = { outcome, atMs };
    if (end) handle.end(outcome, atMs);
  };
  const onAbort = () => { finish('aborted'); reader.cancel(signal.reason).catch(() => {}); };
  if (signal) {
    if (signal.aborted) { onAbort(); return result; }
    signal.addEventListener('abort', onAbort, { once: true });
  }
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const at = performance.now();
      if (done) { finish('eof', at); break; }
      if (result) break;
      handle.chunk(value, at);
    }
  } catch (e) {
    finish(e && e.name === 'AbortError' ? 'aborted' : 'error');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return result;
}

/**
 * Returns a function with fetch's signature that measures streamed responses. The app gets a Response whose body
 * is one branch of a tee: byte-identical, read at the app's own pace; the kit reads the other branch as chunks arrive.
 * @param {typeof fetch} [fetchImpl]
 * @param {{match?: string|RegExp|Function, session?: Session, onReport?: Function, format?: string,
 *          firstTokenRule?: string, warmup?: boolean}} [options]
 */
export function wrapFetch(fetchImpl = globalThis.fetch.bind(globalThis), options = {}) {
  const sess = options.session ?? session;
  if (options.onReport) sess.onReport(options.onReport);
  return async function measuredFetch(input, init) {
    let handle = NOOP_HANDLE;
    try {
      if (matches(options.match, urlOf(input), init)) handle = begin({ ...options, session: sess });
    } catch (e) { diag('wrapFetch', e); }
    let res;
    try {
      res = await fetchImpl(input, init);
    } catch (err) {
      handle.end(err && err.name === 'AbortError' ? 'aborted' : 'error');
      throw err; // the app's own error, unchanged
    }
    if (!handle.live) return res;
    try {
      handle.headers(res.status, res.headers);
      if (!res.body) { handle.end('eof'); return res; }
      const [appBranch, kitBranch] = res.body.tee();
      const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
      pump(kitBranch, handle, signal);
      const wrapped = new Response(appBranch, { status: res.status, statusText: res.statusText, headers: res.headers });
      for (const k of ['url', 'redirected', 'type']) {
        Object.defineProperty(wrapped, k, { value: res[k], configurable: true });
      }
      return wrapped;
    } catch (e) {
      diag('wrapFetch', e);
      return res;
    }
  };
}

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
  const onMutation = () => {
    if (pending || stopped) return;
    pending = true;
    const chars = () => (el ? visibleChars(el, ignore) : 0);
    afterNextPaint((t) => {
      pending = false;
      if (stopped) return;
      try {
        const now = chars();
        if (now > lastChars) { lastChars = now; handle.paint(now, t); }
      } catch (e) { diag('observe', e); }
    });
  };
  const mo = new MutationObserver(() => {
    if (!el && typeof target === 'string') el = document.querySelector(target);
    if (el) onMutation();
  });
  try {
    // A selector may match an element created later (frameworks create the bubble on first token): watch the body.
    mo.observe(el && typeof target !== 'string' ? el : document.body, { childList: true, characterData: true, subtree: true });
  } catch (e) { diag('observe', e); }
  return () => { stopped = true; mo.disconnect(); };
}
