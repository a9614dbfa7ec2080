// The wasm core, loaded once, and the kit's diagnostics (measurement problems are recorded here, never thrown).
import init, * as core from '../pkg/chat_vitals.js';
import { describeLoadFailure, withWasmFetchNoted } from './loaderror.js';
import { warmUp } from './warm.js';

export { core };

/**
 * Measurement problems (never thrown to the app): [{ at, where, message, code? }]. Bounded. `code` types the ones a
 * caller can act on: 'invalid-option' (begin/wrapFetch options the core refused; the message names the option).
 */
export const diagnostics = [];
const MAX_DIAGNOSTICS = 100;
export function diag(where, err, code) {
  if (diagnostics.length >= MAX_DIAGNOSTICS) diagnostics.shift();
  const entry = { at: performance.now(), where, message: String(err && err.message ? err.message : err) };
  if (code) entry.code = code;
  diagnostics.push(entry);
}

let ready = null;
let loaded = false;
const loadedCallbacks = [];
function markLoaded() {
  loaded = true;
  for (const cb of loadedCallbacks.splice(0)) { try { cb(); } catch (e) { diag('onLoaded', e); } }
}

/** Runs `cb` once the wasm module is ready (at once if it already is); never loads it by itself. */
export function onLoaded(cb) {
  if (loaded) cb();
  else loadedCallbacks.push(cb);
}
/**
 * Runs the hot path once at load, so lazy wasm compilation and first allocations stay out of the first response's
 * read path (warm.js). Resolves when done; never rejects.
 */
function warm() {
  return warmUp(core, (e) => diag('warm-up', e));
}

/**
 * Loads the wasm module once (default: chat_vitals_bg.wasm next to the glue, `new URL(…, import.meta.url)`, which Vite
 * and webpack 5 emit as an asset; `wasmUrl` overrides it: a CDN, a strict-CSP host). Resolves true when measurement
 * is available, false otherwise (never rejects; the diagnostic names the URL and the cause).
 */
export function load(wasmUrl) {
  const noted = {};
  ready ??= withWasmFetchNoted(() => init(wasmUrl ? { module_or_path: wasmUrl } : undefined), noted)
    .then(() => warm()).then(() => { markLoaded(); return true; }, (e) => {
      diag('load', describeLoadFailure(e, noted.url ?? wasmUrl));
      ready = null; // a later load(otherUrl) may try again (e.g. a CDN fallback)
      return false;
    });
  return ready;
}

/**
 * Instantiates the wasm synchronously from its bytes (the injectable build embeds them, so measurement is ready
 * before the page's own scripts run). Returns true on success; never throws.
 */
export function loadSync(bytes) {
  try {
    core.initSync({ module: bytes });
    ready = Promise.resolve(true);
    markLoaded();
    // In the background: measurement is available at once, the hot path is compiled in the next tasks.
    setTimeout(warm, 0);
  } catch (e) {
    diag('loadSync', e);
  }
  return loaded;
}

/** True once the wasm module is ready (synchronous check for hot paths). */
export function isLoaded() {
  return loaded;
}


