// The wasm core, loaded once, and the kit's diagnostics (measurement problems are recorded here, never thrown).
//
// Two builds, one API (BENCHMARKS.md row 3): load() loads the embedded build (www/pkg/: measurement, reports,
// percentiles, ratings), loadFull() the full build (www/pkg-full/: also HISTF/.hlog export and import, merge,
// budgets, spectra), fetched only when called. `core` is whichever is loaded (the full one once loadFull() resolved).
import init, * as embedded from '../pkg/chat_vitals.js';
import { describeLoadFailure, withWasmFetchNoted } from './loaderror.js';
import { warmUp } from './warm.js';

/** The wasm bindings in use (a live binding: the full build's after loadFull()). */
export let core = embedded;

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
 * Loads the embedded wasm build once (default: chat_vitals_bg.wasm next to the glue, `new URL(…, import.meta.url)`, which Vite
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

let fullReady = null;
/**
 * Loads the full build once (a dynamic import of `www/pkg-full/chat_vitals.js`, or of `moduleUrl`, and its wasm)
 * and makes it the kit's `core`: sessions, meters and aggregates made from then on have `exportHistogram(s)`,
 * `importHistogram`, `mergeHistogram`, `toHlog`, `merge`, `checkBudget`, `spectrum` and `logBins`. Call it instead
 * of load() (or before the first measured response): an aggregate already made by the embedded build stays
 * embedded. Resolves true when the full build is ready, false otherwise (never rejects; `load()` then still works).
 */
export function loadFull(moduleUrl, wasmUrl) {
  // A literal specifier when none is given, so Vite, webpack 5 and Rollup split the full glue into a chunk loaded on
  // demand and emit its wasm (an import of a computed URL made them copy the glue as a raw asset that then failed to
  // load; tests/e2e/consumers.test.mjs).
  fullReady ??= (moduleUrl ? import(moduleUrl) : import('../pkg-full/chat_vitals.js'))
    .then(async (full) => {
      await full.default(wasmUrl ? { module_or_path: wasmUrl } : undefined);
      core = full;
      // A load() from now on waits for this warm-up: it resolves true only once measurement is available.
      ready = warm().then(() => { markLoaded(); return true; });
      return ready;
    })
    .catch((e) => { diag('loadFull', describeLoadFailure(e, wasmUrl ?? moduleUrl)); fullReady = null; return false; });
  return fullReady;
}

/** True when `core` is the full build (after loadFull()). */
export function isFull() {
  try { return loaded && core.full(); } catch { return false; }
}

/**
 * Instantiates the wasm synchronously from its bytes (the injectable build embeds them, so measurement is ready
 * before the page's own scripts run). `bindings` is the wasm-bindgen module the bytes belong to (default: the
 * embedded build's; the injectable build passes the full one). Returns true on success; never throws.
 */
export function loadSync(bytes, bindings = embedded) {
  try {
    bindings.initSync({ module: bytes });
    core = bindings;
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


