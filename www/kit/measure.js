// The manual path (begin → chunk/paint → end) and pump(), which feeds a ReadableStream into a handle.
import { core, diag, isLoaded } from './core.js';
import { session } from './session.js';
import { track, untrack, isHidden, recentSendAction } from './live.js';
import { loafSupported, onLongFrame, flushLongFrames, topScript } from './frames.js';

/** A report's diagnostic code as a sentence for `diagnostics` (never any response text). */
function reportProblem(r, code) {
  if (code !== 'events-without-text') return `response ${r.id}: ${code}`;
  return `response ${r.id}: ${r.eventCount} events arrived but none carried text (format ${r.format}, detected by ` +
    `${r.formatDetectedBy}); if that format is wrong, pass the format option`;
}

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
 * @param {MeasureOptions & {startMs?: number, session?: Session, url?: string|URL, label?: string,
 *          onReport?: (report: object) => void, sendAction?: 'auto'|false}} [options]
 *   Every MeterOptions key of the wasm core passes through (see METER_OPTION_KEYS and the README's "Options"):
 *   format, formatSource, firstTokenRule, stallThresholdMs, timelineCap, captureText, maxLineBytes, fluidity, qoe,
 *   cost, ratings. A bad value records a diagnostic with `code: 'invalid-option'` and returns the no-op handle (the
 *   app sees nothing different). sendAction 'auto' (default): a form submit or Enter keydown at most 1 s before the
 *   request is marked as the user's send action (handle.markSend() overrides it).
 * @returns a handle with chunk(textOrBytes, atMs?), headers(status, headers, atMs?), paint(visibleChars, atMs?),
 *          frame(frameStartMs), markSend(atMs?), invalidatePerceived(reason), end(outcome?, atMs?) → report,
 *          discard(). `outcome` is 'eof' (the transport ended normally; the report says complete or truncated
 *          from what the stream carried), 'aborted' (the client stopped: AbortSignal, reader cancelled),
 *          'read-error' (a body read failed: reported `interrupted`), 'error' (the request failed before a response)
 *          or 'not-streamed'.
 *          Never throws; before load() finished it is a no-op handle (`live: false`). While live, the page being
 *          hidden invalidates its perceived metrics ('page-hidden') and long animation frames are recorded.
 */
export function begin(options = {}) {
  const startMs = options.startMs ?? performance.now();
  if (!isLoaded()) { diag('begin', 'wasm not loaded yet; await load() first'); return NOOP_HANDLE; }
  const meter = createMeter(startMs, options);
  if (!meter) return NOOP_HANDLE;
  const handle = measuredHandle(meter, startMs, options);
  markInitialState(meter, startMs, options);
  track(handle);
  return handle;
}

/**
 * The wasm Meter for `options`, or null (with a typed diagnostic) when the core refuses them. Made by the session's
 * build, so that its aggregate can take the meter at end() even if loadFull() resolved in between.
 */
export function createMeter(startMs, options) {
  try {
    const bindings = (options.session ?? session)._bindings();
    return new bindings.Meter(startMs, meterOptions(options));
  } catch (e) {
    const badStart = !(Number.isFinite(startMs) && startMs >= 0);
    diag('begin', e, badStart ? 'invalid-start' : 'invalid-option');
    return null;
  }
}

/** The user's send action and the page's visibility at the start. */
function markInitialState(meter, startMs, options) {
  try {
    if (options.sendAction !== false) {
      const sendAt = recentSendAction(startMs);
      if (sendAt !== null) meter.markSend(sendAt);
    }
    if (isHidden()) meter.invalidatePerceived('page-hidden');
  } catch (e) { diag('begin', e); }
}

/** The live handle around `meter`: guarded methods, batched chunks, long frames, the report at end(). */
function measuredHandle(meter, startMs, options) {
  const sess = options.session ?? session;
  const id = `cv-${Date.now()}-${nextId++}`;
  const server = serverOf(options.url);
  let ended = false;
  let firstPaint = null; // {source, presentedAtMs} of the first paint with text
  const endHooks = new Set();
  const chunkHooks = new Set();
  const guard = (where, fn) => (...args) => {
    if (ended) return undefined;
    try { return fn(...args); } catch (e) { diag(where, e); return undefined; }
  };
  const batch = chunkBatcher((atMs, bytes) => meter.chunk(atMs, bytes), () => !ended);
  const frames = watchLongFrames(meter, startMs);
  const stop = () => { ended = true; batch.clear(); untrack(handle); frames.stop(); };
  const handle = {
    live: true, id, session: sess,
    /** The wasm Meter, with every chunk stamped so far decoded into it. */
    get meter() { batch.flush(); return meter; },
    markSend: guard('markSend', (atMs = performance.now()) => meter.markSend(atMs)),
    headers: guard('headers', (status, headers, atMs = performance.now()) => {
      batch.flush();
      meter.headers(atMs, status, headerPairs(headers));
    }),
    chunk: guard('chunk', (data, atMs = performance.now()) => {
      batch.push(atMs, copyBytes(data));
      for (const fn of chunkHooks) { try { fn(atMs); } catch (e) { diag('chunk hook', e); } }
    }),
    /** Decodes the chunks stamped so far (the handle does it by itself before anything that reads the meter). */
    flush: guard('flush', () => batch.flush()),
    /**
     * A paint at `atMs` shows `visibleChars` answer chars in total. `source` (observe() passes it) says what timed it
     * ('element-timing' | 'long-animation-frame' | 'frame'; a call without one is 'manual'); `presentedAtMs` is the
     * browser's presentation time of that frame where it gives one. The first paint's are in the report.
     */
    paint: guard('paint', (visibleChars, atMs = performance.now(), source = 'manual', presentedAtMs = null) => {
      batch.flush();
      meter.paint(atMs, visibleChars);
      if (!firstPaint && visibleChars > 0) firstPaint = { source, presentedAtMs };
    }),
    frame: guard('frame', (frameStartMs) => { batch.flush(); meter.frame(frameStartMs); }),
    /** Runs `fn(atMs)` after each chunk is stamped (observers wake their frame loop). Returns an unsubscribe fn. */
    onChunk: (fn) => { chunkHooks.add(fn); return () => chunkHooks.delete(fn); },
    /** Runs `fn()` just before the response ends (observers flush pending paints). Returns an unsubscribe fn. */
    onEnd: (fn) => { endHooks.add(fn); return () => endHooks.delete(fn); },
    invalidatePerceived: guard('invalidatePerceived', (reason) => meter.invalidatePerceived(String(reason))),
    /** Only the first paint is timed from now on (observe's `paints: 'first'`); the report says `paintScope`. */
    firstPaintOnly: guard('firstPaintOnly', () => meter.firstPaintOnly()),
    takeText: guard('takeText', () => { batch.flush(); return meter.takeText(); }),
    report: guard('report', () => { batch.flush(); return meter.report(); }),
    end: (outcome = 'eof', atMs = performance.now()) => {
      if (ended) return null;
      batch.flush(); // never throws: each chunk's decode is guarded
      flushLongFrames();
      for (const fn of [...endHooks]) { try { fn(); } catch (e) { diag('end hook', e); } }
      try { meter.end(atMs, outcome); } catch (e) { diag('end', e); }
      stop();
      const report = sess._finish(meter, options.warmup,
        { ...reportExtras(id, startMs, options, frames.longest, server), ...firstPaintFields(firstPaint, startMs) });
      for (const code of report?.diagnostics ?? []) diag('report', reportProblem(report, code), code);
      if (report && typeof options.onReport === 'function') {
        try { options.onReport(report); } catch (e) { diag('onReport callback', e); }
      }
      return report;
    },
    /** Drops the measurement without a report (the kit could not measure this response). */
    discard: () => {
      if (ended) return;
      stop();
      try { meter.free(); } catch (e) { diag('discard', e); }
    },
  };
  return handle;
}

/**
 * What the kit adds to the core's report: ids, the label, the longest long frames, the wall-clock start and the
 * endpoint's host and port (`server`, from serverOf).
 */
export function reportExtras(id, startMs, options, longFrames, server = serverOf(undefined)) {
  return {
    id, label: options.label ?? null, warmup: !!options.warmup,
    // The longest long animation frames that overlapped the stream, with their top script (no text).
    longFrames: longFrames.map((f) => ({ ...f, startMs: f.startMs - startMs })),
    // Wall-clock request start (performance.timeOrigin-based), to line reports up with server logs.
    requestStartUnixMs: performance.timeOrigin + startMs,
    // The endpoint's host and port only (OTel server.address / server.port): never its path or query.
    ...server,
  };
}

/**
 * What timed the first paint (`paintSource`) and the browser's presentation time of that frame, from the request
 * start like perceivedTtftMs (`perceivedTtftPresentedMs`, null where the browser gives none).
 */
export function firstPaintFields(firstPaint, startMs) {
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

/**
 * A copy of one read's bytes (strings UTF-8 encoded): the app reads the same buffer and may reuse or transfer it
 * before the batch is decoded. Views copy only their own bytes.
 */
export function copyBytes(data) {
  if (typeof data === 'string') return encoder.encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return new Uint8Array(data).slice();
}
const encoder = new TextEncoder();

/**
 * Stamped chunks waiting to be decoded: `decode(atMs, bytes)` runs for each, in order, after CHUNK_BATCH_MS, when
 * the batch reaches MAX_PENDING_CHUNKS or MAX_PENDING_BYTES, or on flush(). `live()` false stops the timer's flush.
 * A decode that throws is a diagnostic; the rest of the batch is still decoded.
 */
export function chunkBatcher(decode, live = () => true) {
  let pending = []; // [atMs, bytes]
  let pendingBytes = 0;
  let timer = null;
  const flush = () => {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    for (const [atMs, bytes] of batch) {
      try { decode(atMs, bytes); } catch (e) { diag('chunk', e); }
    }
  };
  return {
    push(atMs, bytes) {
      pending.push([atMs, bytes]);
      pendingBytes += bytes.length;
      if (pending.length >= MAX_PENDING_CHUNKS || pendingBytes >= MAX_PENDING_BYTES) flush();
      else if (timer === null) timer = setTimeout(() => { timer = null; if (live()) flush(); }, CHUNK_BATCH_MS);
    },
    flush,
    /** Drops what is pending without decoding it. */
    clear() { if (timer !== null) clearTimeout(timer); timer = null; pending = []; pendingBytes = 0; },
    get size() { return pending.length; },
  };
}

/**
 * Feeds the browser's long animation frames to `meter` (where LoAF exists) and keeps the
 * MAX_LONG_FRAME_ATTRIBUTIONS longest that overlap the response, longest first, in `longest`.
 */
function watchLongFrames(meter, startMs) {
  const longest = keptLongFrames(startMs);
  if (!loafSupported) return { longest: longest.list, stop() {} };
  meter.observeLongFrames();
  const stop = onLongFrame((e) => {
    try { meter.longFrame(Math.max(0, e.startTime), e.duration, e.blockingDuration ?? 0); } catch (err) { diag('longFrame', err); return; }
    longest.offer(e);
  });
  return { longest: longest.list, stop };
}

/** The longest (≥ 50 ms) long frames that end after `startMs`, with their top script, capped. */
export function keptLongFrames(startMs, cap = MAX_LONG_FRAME_ATTRIBUTIONS) {
  const list = [];
  return {
    list,
    offer(e) {
      if (e.duration < 50 || e.startTime + e.duration < startMs) return;
      list.push({ startMs: e.startTime, durationMs: e.duration, blockingMs: e.blockingDuration ?? 0, script: topScript(e) });
      list.sort((a, b) => b.durationMs - a.durationMs);
      if (list.length > cap) list.pop();
    },
  };
}

/**
 * The keys of the wasm core's MeterOptions (the same names the TypeScript type `MeterOptions` has); `begin`,
 * `wrapFetch`, the injectable build and the Playwright helper pass each one through unchanged.
 */
export const METER_OPTION_KEYS = Object.freeze(['format', 'formatSource', 'firstTokenRule', 'stallThresholdMs',
  'captureText', 'timelineCap', 'maxLineBytes', 'fluidity', 'qoe', 'cost', 'ratings']);

/** The MeterOptions subset of kit options (kit-only keys such as `match`, `observe` or `session` stay out). */
export function meterOptions(o) {
  const m = {};
  for (const k of METER_OPTION_KEYS) {
    if (o[k] !== undefined && o[k] !== null) m[k] = o[k];
  }
  return m;
}

function headerPairs(h) {
  if (!h) return [];
  if (typeof h.entries === 'function') return Array.from(h.entries());
  return Object.entries(h).map(([k, v]) => [k, String(v)]);
}

/**
 * How a failed body read ends a response: the client's own abort (its AbortSignal fired, or an AbortError) is
 * `aborted`; anything else (in Chromium and Firefox a `TypeError`, e.g. a connection reset or a chunked body closed
 * mid-chunk) is `read-error`, which the core reports as `interrupted` whatever arrived before: never a clean end.
 * (In WebKit such a body ends as a normal read, so there a cut-off plain-text body, which has no end marker,
 * looks whole.) `error` with class `network` is for a fetch that failed before any response.
 */
export function bodyFailure(err, signal) {
  return signal?.aborted || (err && err.name === 'AbortError') ? 'aborted' : 'read-error';
}

/**
 * Reads `body` as it arrives, timestamps each chunk and feeds the handle. Resolves {outcome, atMs} when the stream
 * is done ('eof' | 'aborted' | 'read-error'); ends the handle with it unless `end: false`. Never rejects.
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

