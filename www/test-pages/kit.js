// Test page module: exposes the kit and the SDKs (the "app") on window.cv for e2e tests.
import * as kit from '../kit/index.js';
import { OpenAI } from '../vendor/openai.js';
import { Anthropic } from '../vendor/anthropic.js';
import * as ai from '../vendor/ai.js';

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

window.cv = { ...kit, OpenAI, Anthropic, ai, reports, sha256, concat, ready: kit.load() };
window.cv.ready.then((ok) => { document.getElementById('status').textContent = ok ? 'ready' : 'wasm failed'; });
