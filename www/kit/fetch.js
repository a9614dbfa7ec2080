// wrapFetch: a fetch with the same signature that measures streamed responses. The app reads byte-identical data at
// its own pace; the kit stamps each network read as it arrives. Measurement problems go to `diagnostics`, never to
// the app.
import { diag } from './core.js';
import { session } from './session.js';
import { begin, bodyFailure, NOOP_HANDLE } from './measure.js';
import { observe } from './observe.js';
import { afterFramesPainted } from './frames.js';

/** How long an observed response's end waits for frames that never come (a hidden page renders none). */
const HIDDEN_END_MS = 1000;

/** True when `url` should be measured under `match` (string substring, RegExp, or predicate). */
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

// Bodies worth measuring as streams. `application/json` (and anything else not listed, e.g. HTML, images) is a
// complete document: passed through untouched and recorded as not streamed.
const STREAM_TYPES = /^\s*(text\/event-stream|application\/(x-)?ndjson|application\/(x-)?jsonl(ines)?|text\/plain)\b/i;

/** Whether a 2xx response body is a stream the kit should read. */
export function isStreamResponse(res) {
  const h = res.headers;
  if (h.get('x-vercel-ai-ui-message-stream') || h.get('x-vercel-ai-data-stream')) return true;
  const ct = h.get('content-type');
  if (!ct) return true; // unlabelled: read it and let first-bytes detection decide
  return STREAM_TYPES.test(ct);
}

function isAbort(err, signal) {
  return !!(signal?.aborted || (err && err.name === 'AbortError'));
}

const CONSUMERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'];

/**
 * Firefox rejects text()/json()/… of a Response over a script-made stream with AbortError whatever error the stream
 * failed with (a reader gets the real one): rethrow the network error the app would have got, so an app that treats
 * AbortError as "the user stopped" is not misled. Where the names already agree (Chromium), nothing changes.
 */
function keepBodyError(wrapped, networkError) {
  for (const m of CONSUMERS) {
    const consume = wrapped[m];
    if (typeof consume !== 'function') continue;
    Object.defineProperty(wrapped, m, {
      configurable: true, writable: true,
      value(...args) {
        return consume.apply(this, args).catch((e) => {
          const net = networkError();
          throw net && e?.name !== net.name ? net : e;
        });
      },
    });
  }
}

/**
 * The app's body: a stream fed by the kit's single reader of the network body. Each read is stamped and handed to
 * the handle on arrival (which decodes it in a batch, see measure.js), then enqueued unchanged (the same bytes, in the same order, chunking and errors) for the app
 * to read whenever it likes. If the app cancels its body, the network read is cancelled too and the response is
 * recorded as `aborted`; an AbortSignal abort is recorded as `aborted` when it fires.
 */
function forwardBody(res, handle, signal, deferEnd = false) {
  let controller;
  let finished = false;
  const finish = (outcome, atMs = performance.now()) => {
    if (finished) return;
    finished = true;
    // (The client's abort after a finished stream — SDKs abort their own request once they parsed `[DONE]` — is
    // recorded as complete by the core's outcome rules; a failed read never is.)
    try { signal?.removeEventListener('abort', onAbort); } catch (e) { diag('wrapFetch', e); }
    const endNow = () => handle.end(outcome, atMs); // guarded, idempotent: never throws
    if (!deferEnd) { endNow(); return; }
    // With an observed element the app paints the last text after the stream ends: end after two more painted
    // frames, once the observers handed those frames' paints to the handle (the end time stays the stream's). The
    // timeout covers hidden pages, where no frame is rendered; it is long enough not to cut a busy page's frames
    // short (a 250 ms one ended responses before their first paint was timed on a loaded machine).
    afterFramesPainted(2, endNow);
    setTimeout(endNow, HIDDEN_END_MS);
  };
  const onAbort = () => finish('aborted');
  let reader;
  let networkError = null; // the network body's read error, forwarded to the app's body
  const appBody = new ReadableStream({
    start(c) { controller = c; },
    cancel(reason) {
      finish('aborted');
      return reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
  // Built before the network body is touched: if the platform refuses, the app still gets the original response.
  const wrapped = new Response(appBody, { status: res.status, statusText: res.statusText, headers: res.headers });
  for (const k of ['url', 'redirected', 'type']) {
    Object.defineProperty(wrapped, k, { value: res[k], configurable: true, enumerable: true });
  }
  keepBodyError(wrapped, () => networkError);
  reader = res.body.getReader();
  if (signal) {
    if (signal.aborted) finish('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  (async () => {
    for (;;) {
      let r;
      try {
        r = await reader.read();
      } catch (err) {
        finish(bodyFailure(err, signal)); // the app gets the same error below
        networkError = err;
        try { controller.error(err); } catch { /* the app already cancelled */ }
        return;
      }
      const at = performance.now();
      if (r.done) {
        finish('eof', at);
        try { controller.close(); } catch { /* the app already cancelled */ }
        return;
      }
      if (!finished) handle.chunk(r.value, at); // stamps it and keeps a copy (decoded in a batch) before the app reads it
      try { controller.enqueue(r.value); } catch { /* the app cancelled; the read loop ends with done */ }
    }
  })().catch((e) => diag('wrapFetch', e));
  return wrapped;
}

/**
 * Returns a function with fetch's signature that measures streamed responses (use it as the `fetch` option of the
 * OpenAI, Anthropic or AI SDK clients, or in place of `fetch`). Never throws into the app: the app gets the same
 * response, bytes, status, headers and errors it would have got without the kit.
 * @param {typeof fetch} [fetchImpl] defaults to the global fetch (looked up per call)
 * @param {{match?: string|RegExp|Function, session?: Session, onReport?: Function, warmup?: boolean, label?: string,
 *          observe?: string|Element, ignore?: string, paints?: 'all'|'first', elementTiming?: boolean} & MeasureOptions} [options]
 *   Every MeterOptions key (format, formatSource, firstTokenRule, stallThresholdMs, timelineCap, captureText,
 *   maxLineBytes, fluidity, qoe, cost, ratings) reaches each response's meter, as in begin().
 *   observe: a selector for the element each response is rendered into (it may match only later, e.g. a bubble
 *   created on the first token; `.assistant:last-child` follows the newest one); its paints give perceived metrics.
 *   paints: 'first' times only the first paint (perceived TTFT) and then stops the frame loop (see observe()).
 *   elementTiming: false: observe() sets no `elementtiming` attribute and uses no Element Timing entries.
 */
export function wrapFetch(fetchImpl, options = {}) {
  const doFetch = typeof fetchImpl === 'function' ? fetchImpl : (input, init) => globalThis.fetch(input, init);
  const opts = options ?? {};
  return async function measuredFetch(input, init) {
    let handle = NOOP_HANDLE;
    let signal;
    try {
      const url = urlOf(input);
      if (matches(opts.match, url, init)) handle = begin({ ...opts, url, session: opts.session ?? session });
      if (opts.observe && handle.live) observe(opts.observe, handle, { ignore: opts.ignore, paints: opts.paints, elementTiming: opts.elementTiming, baseline: true });
      signal = init?.signal ?? (typeof Request !== 'undefined' && input instanceof Request ? input.signal : undefined);
    } catch (e) { diag('wrapFetch', e); }
    let res;
    try {
      res = await doFetch(input, init);
    } catch (err) {
      handle.end(isAbort(err, signal) ? 'aborted' : 'error');
      throw err; // the app's own error, unchanged
    }
    if (!handle.live) return res;
    try {
      handle.headers(res.status, res.headers);
      if (!res.ok || !res.body) { handle.end(res.ok ? 'not-streamed' : 'eof'); return res; } // http-error: no TTFT
      if (!opts.format && !isStreamResponse(res)) { handle.end('not-streamed'); return res; }
      return forwardBody(res, handle, signal, !!opts.observe);
    } catch (e) {
      diag('wrapFetch', e);
      handle.discard(); // a kit failure is not the response's: no report rather than a wrong one
      return res; // forwardBody fails before touching res.body, so the original is still unread
    }
  };
}
