// Test page module: exposes the kit and the SDKs (the "app") on window.cv for e2e tests.
import * as kit from '../kit/index.js';
import * as otlp from '../kit/otlp.js';

// The SDK bundles load on their own: one that an engine cannot parse (the openai and Anthropic bundles use RegExp
// lookbehind, which WPE WebKit 2.38 lacks) leaves its export undefined and its error in `sdkErrors`, not the kit broken.
// `cv.ready` resolves once the wasm and the SDK bundles are loaded.
const sdkErrors = {};
const sdk = async (name) => {
  try { return await import(`../vendor/${name}.js`); } catch (e) { sdkErrors[name] = String(e); return {}; }
};
const sdksLoaded = Promise.all(['openai', 'anthropic', 'ai'].map(sdk)).then(([{ OpenAI }, { Anthropic }, ai]) => {
  Object.assign(window.cv, { OpenAI, Anthropic, ai });
});

/** Resolves with the next `count` reports delivered to the returned `onReport` (bounded by `timeoutMs`). */
function reports(count = 1, timeoutMs = 10000) {
  const got = [];
  let resolve;
  let reject;
  const done = new Promise((res, rej) => { resolve = res; reject = rej; });
  const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} report(s); got ${got.length}`)), timeoutMs);
  return {
    onReport: (r) => { got.push(r); if (got.length === count) { clearTimeout(timer); resolve(got); } },
    done,
  };
}

/**
 * Runs `app(fetch)`, an app that makes one request with the `fetch` it is given (the kit's wrapFetch) and resolves
 * the text it got; resolves {text, report, diagnostics}.
 */
async function throughKit(app) {
  const { onReport, done } = reports(1);
  const text = await app(kit.wrapFetch(fetch, { onReport }));
  const [report] = await done;
  return { text, report, diagnostics: kit.diagnostics.slice() };
}

/** SHA-256 of bytes as hex. */
async function sha256(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.byteLength; }
  return out;
}

window.cv = { ...kit, otlp, sdkErrors, reports, throughKit, sha256, concat, ready: Promise.all([kit.load(), sdksLoaded]).then(([ok]) => ok) };
window.cv.ready.then((ok) => { document.getElementById('status').textContent = ok ? 'ready' : 'wasm failed'; });
