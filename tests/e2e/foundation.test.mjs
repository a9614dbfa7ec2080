// Issue 2 acceptance: one real measurement through every layer. The page fetches a scripted stream from the simulated
// endpoint, JS stamps performance.now() per chunk, the wasm core parses the SSE and computes TTFT and gaps, the page
// shows them; we compare with the endpoint's own log (what it sent, when) within TOL_MS (kit-helpers.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, assertValidReport } from './harness.mjs';
import { assertTtftMatches, assertContentChunksMatch, untilTimely } from './kit-helpers.mjs';

const env = useBrowser({ profile: 'scripted' });

test('page TTFT and every inter-chunk gap match the endpoint log within TOL_MS', (t) => untilTimely(t, env.server, async () => {
  const { server, browser: { page } } = env;
  await page.goto(server.page);
  await page.evaluate(() => window.chatVitalsAudit.ready);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'page is cross-origin isolated (COOP/COEP)');
  await server.clear();
  const gaps = [30, 45, 20, 160, 35, 25, 60, 30];
  // One warm-up response first (excluded, as in any audit): the page's first fetch pays one-time costs
  // (connection setup, JIT) that are not what this test is about.
  const report = await page.evaluate((g) => window.chatVitalsAudit.run({
    preset: 'sim', profile: 'scripted', runs: 1, warmup: 1, concurrency: 1, prompts: ['hi'],
    sim: { ttft_ms: 140, gaps_ms: g, tokens: g.length + 1 },
  }), gaps);
  const log = (await server.log())[1];
  assert.ok(log, 'the endpoint logged the request');
  // A config passed in (as the CLI does) is shown in the form, so the page and its screenshot say what ran.
  assert.deepEqual(await page.evaluate(() => ['runs', 'warmup', 'profile'].map((n) => document.querySelector(`[name=${n}]`).value)),
    ['1', '1', 'scripted']);
  assert.equal(log.outcome, 'complete');
  assertValidReport(report);
  const r = report.responses[1];
  assert.equal(report.summary.responses, 1, 'the warm-up response is not in the aggregate');
  assert.equal(r.outcome, 'complete');
  assert.equal(report.environment.crossOriginIsolated, true);
  // Same clock, same rules as every kit test: TTFT = transit + endpoint TTFT, one content chunk per write, same gaps.
  assertTtftMatches(r, log);
  assertContentChunksMatch(r, log);
  // The page shows them: the results table has a TTFT row.
  const text = await page.locator('#summary').innerText();
  assert.match(text, /TTFT/);
}));
