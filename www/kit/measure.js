// The manual path (begin → chunk/paint → end) and pump(), which feeds a ReadableStream into a handle.
import { core, diag, isLoaded } from './core.js';
import { session } from './session.js';
import { track, untrack, isHidden, recentSendAction } from './live.js';
import { loafSupported, onLongFrame, flushLongFrames, topScript } from './frames.js';

/** Long frames with script attribution kept per response (the longest ones). */
const MAX_LONG_FRAME_ATTRIBUTIONS = 10;

// Chunks are stamped on arrival and decoded in batches: one wasm call per chunk in its own task costs ~45 µs on a
// CPU that idled between network reads, ~2 µs in a batch (BENCHMARKS.md row 4). A batch is decoded after
// CHUNK_BATCH_MS, when it reaches the caps below, or before anything that reads or orders after the chunks (paint,
// frame, headers, end, report, takeText). Timestamps are the arrival times, so the metrics do not change.
const CHUNK_BATCH_MS = 16;
const MAX_PENDING_CHUNKS = 64;
const MAX_PENDING_BYTES = 64 * 1024;

export const NOOP_HANDLE = Object.freeze({
  live: false, id: null,
  markSend() {}, headers() {}, chunk() {}, paint() {}, frame() {}, end() { return null; }, report() { return null; },
  takeText() { return ''; }, invalidatePerceived() {}, firstPaintOnly() {}, flush() {}, onEnd() { return () => {}; }, onChunk() { return () => {}; }, discard() {},
});

let nextId = 1;
/**
 * Manual path (WebSocket, EventSource, custom transports): begin a measured response.
 * @param {{format?: string, firstTokenRule?: string, startMs?: number, warmup?: boolean, session?: Session, url?: string|URL,
 *          captureText?: boolean, timelineCap?: number, stallThresholdMs?: number, maxLineBytes?: number, label?: string, onReport?: (report: object) => void, sendAction?: 'auto'|false}} [options]
 *   sendAction 'auto' (default): a form submit or Enter keydown at most 1 s before the request is marked as the
 *   user's send action (handle.markSend() overrides it).
 * @returns a handle with chunk(textOrBytes, atMs?), headers(status, headers, atMs?), paint(visibleChars, atMs?),
 *          frame(frameStartMs), markSend(atMs?), invalidatePerceived(reason), end(outcome?, atMs?) → report,
 *          discard(). `outcome` is 'eof' (the transport ended normally; the report says complete or truncated
 *          from what the stream carried), 'aborted', 'error' or 'not-streamed'.
 *          Never throws; before load() finished it is a no-op handle (`live: false`). While live, the page being
 *          hidden invalidates its perceived metrics ('page-hidden') and long animation frames are recorded.
 */
export function begin(options = {}) {
  const startMs = options.startMs ?? performance.now();
  if (!isLoaded()) { diag('begin', 'wasm not loaded yet; await load() first'); return NOOP_HANDLE; }
  const sess = options.session ?? session;
  let meter;
  try {
    meter = new core.Meter(startMs, meterOptions(options));
  } catch (e) { diag('begin', e); return NOOP_HANDLE; }
  const enc = new TextEncoder();
  const id = `cv-${Date.now()}-${nextId++}`;
  const server = serverOf(options.url);
  let ended = false;
  const endHooks = new Set();
  const chunkHooks = new Set();
  const longFrames = []; // [{startMs, durationMs, blockingMs, script}] longest first, capped
  const guard = (where, fn) => (...args) => {
    if (ended) return undefined;
    try { return fn(...args); } catch (e) { diag(where, e); return undefined; }
  };
  let firstPaint = null; // {source, presentedAtMs} of the first paint with text
  const pending = []; // [atMs, bytes]: stamped, not yet decoded
  let pendingBytes = 0;
  let batchTimer = null;
  const flushChunks = () => {
    if (batchTimer !== null) { clearTimeout(batchTimer); batchTimer = null; }
    if (!pending.length) return;
    const batch = pending.splice(0);
    pendingBytes = 0;
    for (const [atMs, bytes] of batch) {
      try { meter.chunk(atMs, bytes); } catch (e) { diag('chunk', e); }
    }
  };
  const handle = {
    live: true, id, session: sess,
    /** The wasm Meter, with every chunk stamped so far decoded into it. */
    get meter() { flushChunks(); return meter; },
    markSend: guard('markSend', (atMs = performance.now()) => meter.markSend(atMs)),
    headers: guard('headers', (status, headers, atMs = performance.now()) => {
      flushChunks();
      meter.headers(atMs, status, headerPairs(headers));
    }),
    chunk: guard('chunk', (data, atMs = performance.now()) => {
      // A copy: the app reads the same buffer and may reuse or transfer it before the batch is decoded.
      const bytes = typeof data === 'string' ? enc.encode(data)
        : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
          : new Uint8Array(data).slice();
      pending.push([atMs, bytes]);
      pendingBytes += bytes.length;
      if (pending.length >= MAX_PENDING_CHUNKS || pendingBytes >= MAX_PENDING_BYTES) flushChunks();
      else if (batchTimer === null) batchTimer = setTimeout(() => { batchTimer = null; if (!ended) flushChunks(); }, CHUNK_BATCH_MS);
      for (const fn of chunkHooks) { try { fn(atMs); } catch (e) { diag('chunk hook', e); } }
    }),
    /** Decodes the chunks stamped so far (the handle does it by itself before anything that reads the meter). */
    flush: guard('flush', () => flushChunks()),
    /**
     * A paint at `atMs` shows `visibleChars` answer chars in total. `source` (observe() passes it) says what timed it
     * ('element-timing' | 'long-animation-frame' | 'frame'; a call without one is 'manual'); `presentedAtMs` is the
     * browser's presentation time of that frame where it gives one. The first paint's are in the report.
     */
    paint: guard('paint', (visibleChars, atMs = performance.now(), source = 'manual', presentedAtMs = null) => {
      flushChunks();
      meter.paint(atMs, visibleChars);
      if (!firstPaint && visibleChars > 0) firstPaint = { source, presentedAtMs };
    }),
    frame: guard('frame', (frameStartMs) => { flushChunks(); meter.frame(frameStartMs); }),
    /** Runs `fn(atMs)` after each chunk is stamped (observers wake their frame loop). Returns an unsubscribe fn. */
    onChunk: (fn) => { chunkHooks.add(fn); return () => chunkHooks.delete(fn); },
    /** Runs `fn()` just before the response ends (observers flush pending paints). Returns an unsubscribe fn. */
    onEnd: (fn) => { endHooks.add(fn); return () => endHooks.delete(fn); },
    invalidatePerceived: guard('invalidatePerceived', (reason) => meter.invalidatePerceived(String(reason))),
    /** Only the first paint is timed from now on (observe's `paints: 'first'`); the report says `paintScope`. */
    firstPaintOnly: guard('firstPaintOnly', () => meter.firstPaintOnly()),
    takeText: guard('takeText', () => { flushChunks(); return meter.takeText(); }),
    report: guard('report', () => { flushChunks(); return meter.report(); }),
    end: (outcome = 'eof', atMs = performance.now()) => {
      if (ended) return null;
      flushChunks(); // never throws: each chunk's decode is guarded
      flushLongFrames();
      for (const fn of [...endHooks]) { try { fn(); } catch (e) { diag('end hook', e); } }
      try { meter.end(atMs, outcome); } catch (e) { diag('end', e); }
      ended = true;
      untrack(handle);
      stopLongFrames();
      const report = sess._finish(meter, options.warmup, {
        id, label: options.label ?? null, warmup: !!options.warmup,
        // The longest long animation frames that overlapped the stream, with their top script (no text).
        longFrames: longFrames.map((f) => ({ ...f, startMs: f.startMs - startMs })),
        // Wall-clock request start (performance.timeOrigin-based), to line reports up with server logs.
        requestStartUnixMs: performance.timeOrigin + startMs,
        ...firstPaintFields(firstPaint, startMs),
        // The endpoint's host and port only (OTel server.address / server.port): never its path or query.
        ...server,
      });
      if (report && typeof options.onReport === 'function') {
        try { options.onReport(report); } catch (e) { diag('onReport callback', e); }
      }
      return report;
    },
    /** Drops the measurement without a report (the kit could not measure this response). */
    discard: () => {
      if (ended) return;
      ended = true;
      if (batchTimer !== null) clearTimeout(batchTimer);
      pending.length = 0;
      untrack(handle);
      stopLongFrames();
      try { meter.free(); } catch (e) { diag('discard', e); }
    },
  };
  let stopLongFrames = () => {};
  if (loafSupported) {
    meter.observeLongFrames();
    stopLongFrames = onLongFrame((e) => {
      const end = e.startTime + e.duration;
      try { meter.longFrame(Math.max(0, e.startTime), e.duration, e.blockingDuration ?? 0); } catch (err) { diag('longFrame', err); return; }
      if (e.duration < 50 || end < startMs) return;
      longFrames.push({ startMs: e.startTime, durationMs: e.duration, blockingMs: e.blockingDuration ?? 0, script: topScript(e) });
      longFrames.sort((a, b) => b.durationMs - a.durationMs);
      if (longFrames.length > MAX_LONG_FRAME_ATTRIBUTIONS) longFrames.pop();
    });
  }
  try {
    if (options.sendAction !== false) {
      const sendAt = recentSendAction(startMs);
      if (sendAt !== null) meter.markSend(sendAt);
    }
    if (isHidden()) meter.invalidatePerceived('page-hidden');
  } catch (e) { diag('begin', e); }
  track(handle);
  return handle;
}

/**
 * What timed the first paint (`paintSource`) and the browser's presentation time of that frame, from the request
 * start like perceivedTtftMs (`perceivedTtftPresentedMs`, null where the browser gives none).
 */
function firstPaintFields(firstPaint, startMs) {
  const presented = firstPaint?.presentedAtMs;
  return {
    paintSource: firstPaint?.source ?? null,
    perceivedTtftPresentedMs: typeof presented === 'number' && presented > 0 ? Math.max(0, presented - startMs) : null,
  };
}

/** {serverAddress, serverPort} of a request URL (relative ones resolve against the page); nulls when unknown. */
export function serverOf(url) {
  try {
    const u = new URL(String(url), globalThis.location?.href);
    if (!/^https?:$/.test(u.protocol)) return { serverAddress: null, serverPort: null };
    return { serverAddress: u.hostname, serverPort: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return { serverAddress: null, serverPort: null };
  }
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

/**
 * How a failed body read ends a response: an abort is `aborted`; anything else (in Chromium a bare
 * `TypeError: network error`, e.g. a chunked body closed without its last chunk) means the body was cut short, so
 * the meter decides from what arrived: `truncated` without the format's end marker, `complete` with it. (`error`
 * with class `network` is for a fetch that failed before any response.)
 */
export function bodyFailure(err, signal) {
  return signal?.aborted || (err && err.name === 'AbortError') ? 'aborted' : 'eof';
}

/**
 * Reads `body` as it arrives, timestamps each chunk and feeds the handle. Resolves {outcome, atMs} when the stream
 * is done ('eof' | 'aborted'); ends the handle with it unless `end: false`. Never rejects.
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
    finish(bodyFailure(e, signal));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return result;
}

