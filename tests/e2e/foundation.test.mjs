// Issue 2 acceptance: one real measurement through every layer. The page fetches a scripted stream from the simulated
// endpoint, JS stamps performance.now() per chunk, the wasm core parses the SSE and computes TTFT and gaps, the page
// shows them; we compare with the endpoint's own log (what it sent, when) within TOL_MS (kit-helpers.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertValidReport } from './harness.mjs';
import { TRANSIT_MAX_MS, TOL_MS } from './kit-helpers.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ profile: 'scripted' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});


test('page TTFT and every inter-chunk gap match the endpoint log within TOL_MS', async () => {
  const { page } = browser;
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
  // The endpoint's TTFT counts from when the request arrived; the page's from fetch(). Both clocks are this
  // machine's wall clock (performance.timeOrigin + now() vs the server's SystemTime), so the request's transit
  // is measurable: expected page TTFT = transit + endpoint TTFT.
  const transitMs = log.arrivedUnixMs - r.requestStartUnixMs;
  assert.ok(transitMs > -1 && transitMs < TRANSIT_MAX_MS, `request transit ${transitMs} ms is plausible`);
  const expected = transitMs + log.ttftMs;
  assert.ok(Math.abs(r.ttftMs - expected) <= TOL_MS, `TTFT ${r.ttftMs} vs endpoint ${log.ttftMs} + transit ${transitMs.toFixed(3)}`);
  const sent = log.events.filter((e) => e.kind === 'content').map((e) => e.offsetMs);
  const seen = r.timeline.chunks.filter((c) => c.contentChars > 0).map((c) => c.atMs);
  assert.equal(seen.length, sent.length, 'one content chunk per content write');
  for (let i = 1; i < sent.length; i++) {
    const want = sent[i] - sent[i - 1];
    const got = seen[i] - seen[i - 1];
    assert.ok(Math.abs(got - want) <= TOL_MS, `gap ${i}: page ${got.toFixed(3)} ms vs endpoint ${want.toFixed(3)} ms`);
  }
  // The page shows them: the results table has a TTFT row.
  const text = await page.locator('#summary').innerText();
  assert.match(text, /TTFT/);
});
