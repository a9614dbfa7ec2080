// Why load() failed, in one diagnostic that names the wasm URL and the cause (and what to do about it).
const HINTS = [
  [/refused to compile|content security policy|wasm-unsafe-eval|unsafe-eval/i,
    "the page's Content-Security-Policy blocks WebAssembly: allow 'wasm-unsafe-eval' in script-src"],
  [/failed to fetch wasm: (\d+)|http status code is not ok/i,
    'the wasm is not served at that URL: have the bundler emit it as an asset (Vite, webpack 5 do), copy '
    + 'chat-vitals/chat_vitals_bg.wasm there (esbuild), or pass its URL to load(url)'],
  [/failed to fetch|networkerror|load failed/i,
    'the request for the wasm failed (offline, blocked by CSP connect-src, or CORS): pass a reachable URL to load(url)'],
  [/magic word|expected magic|compileerror|wasm validation|invalid/i,
    'the response is not this wasm module (an HTML fallback page?): pass the right URL to load(url)'],
];

/** The URL the wasm was (or would have been) fetched from. */
function wasmUrlOf(given) {
  if (typeof given === 'string') return given;
  if (typeof URL === 'function' && given instanceof URL) return given.href;
  if (given && typeof given.url === 'string' && given.url) return given.url; // Request / Response
  if (given) return '(bytes given to load())';
  return 'chat_vitals_bg.wasm next to the wasm-bindgen glue (the default)';
}

/**
 * Runs `start()` (the glue's init) and notes the URL it fetches: the glue picks its default URL itself and calls
 * the global fetch synchronously, before its first await, so the swap below covers that call and nothing else (no
 * other code can run in between). The real fetch does the request.
 */
export function withWasmFetchNoted(start, noted) {
  const realFetch = globalThis.fetch;
  let swapped = false;
  try {
    if (typeof realFetch === 'function') {
      globalThis.fetch = function notedFetch(input, init) {
        noted.url = typeof input === 'string' ? input : input?.href ?? input?.url ?? String(input);
        return realFetch.call(this ?? globalThis, input, init);
      };
      swapped = true;
    }
  } catch { /* a read-only fetch: the diagnostic falls back to the default's description */ }
  try {
    return start();
  } finally {
    if (swapped) globalThis.fetch = realFetch;
  }
}

/** One line: `wasm <url>: <error> — <what to do>`. */
export function describeLoadFailure(err, given) {
  const message = String(err && err.message ? err.message : err);
  const hint = HINTS.find(([re]) => re.test(message) || re.test(String(err?.name ?? '')))?.[1];
  return `wasm ${wasmUrlOf(given)}: ${message}${hint ? ` — ${hint}` : ''}`;
}
