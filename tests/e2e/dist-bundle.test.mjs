// The shipped ES module (www/dist/chat-vitals.min.js: kit + wasm-bindgen glue, minified, wasm next to it; built by
// scripts/vendor.mjs and measured by BENCHMARKS.md row 3) works on its own: it loads its wasm from beside itself
// and measures a stream from the simulated endpoint, agreeing with the endpoint's log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { assertTtftMatches, onlyLog, untilTimely } from './kit-helpers.mjs';

const env = useBrowser({ profile: 'scripted' });

test('www/dist/chat-vitals.min.js loads its wasm and measures a stream like the unbundled kit', (t) => untilTimely(t, env.server, async () => {
  const { server, browser: { page } } = env;
  await page.goto(`${server.page}test-pages/kit.html`);
  await server.clear();
  const report = await page.evaluate(async (api) => {
    const kit = await import('/dist/chat-vitals.min.js');
    if (!(await kit.load())) throw new Error(`load failed: ${JSON.stringify(kit.diagnostics)}`);
    const got = new Promise((resolve) => { kit.session.onReport(resolve); });
    const f = kit.wrapFetch(fetch);
    const res = await f(`${api}/p/scripted,ttft=60,tokens=6/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    const text = await res.text();
    const r = await got;
    return { ...r, appSawDone: text.includes('[DONE]'), version: kit.core.version() };
  }, server.api);
  assert.equal(report.outcome, 'complete');
  assert.ok(report.appSawDone, 'the app got the whole stream');
  assert.equal(report.format, 'openai-chat');
  assert.equal(report.outputTokens, 6);
  assert.match(report.version, /^\d+\.\d+\.\d+/);
  assertTtftMatches(report, await onlyLog(server));
}));
