// wrapFetch: a fetch with the same signature that measures streamed responses (the app reads a byte-identical tee).
import { diag } from './core.js';
import { session } from './session.js';
import { begin, pump, NOOP_HANDLE } from './measure.js';

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

