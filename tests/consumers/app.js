// The consumer app every bundler fixture builds: imports the installed package by name, measures one stream from
// the simulated endpoint and publishes what happened on window.consumerResult (read by tests/e2e/consumers.test.mjs).
// Query: ?api=<endpoint base> (default: this origin), &wasm=<url> (load(url) override), &fallback=<url>, &full=1.
import { load, loadFull, wrapFetch, session, diagnostics } from 'chat-vitals';

const params = new URLSearchParams(location.search);
const api = params.get('api') ?? location.origin;
const wasm = params.get('wasm');
// A CDN fallback: a failed load() can be retried with another URL.
const fallback = params.get('fallback');
// &full=1: the full build instead (loaded on demand: HISTF export, budgets, merge).
const full = params.get('full') === '1';
let loaded = full ? await loadFull() : await load(wasm ?? undefined);
if (!loaded && fallback) loaded = await load(fallback);
const measuredFetch = wrapFetch(fetch, { match: '/v1/chat/completions', label: 'consumer' });
let body = '';
let error = null;
try {
  const res = await measuredFetch(`${api}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim', stream: true, messages: [{ role: 'user', content: 'Hello' }] }),
  });
  body = await res.text();
} catch (e) {
  error = String(e);
}
let histogram = null;
try { histogram = full ? await session.aggregate.exportHistogram('ttft') : null; } catch (e) { histogram = `failed: ${e}`; }
window.consumerResult = { loaded, reports: session.reports, diagnostics: [...diagnostics], body, error, histogram };
document.getElementById('status').textContent = 'done';
