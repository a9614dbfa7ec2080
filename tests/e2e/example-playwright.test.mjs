// Issue 6: the README's "in your own Playwright tests" path. An unmodified sample chat page (www/examples/chat/,
// the real `openai` SDK in the browser, streaming from the simulated endpoint) is instrumented with the injectable
// build; the test drives the chat like a user, collects the report and asserts a budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { instrument, collect, assertBudget, checkBudget } from '../../www/kit/playwright.js';

const env = useBrowser({ profile: 'steady' });

test('an unmodified chat page is measured through page.addInitScript and meets a budget', async () => {
  const { server, browser: { page } } = env;
  await instrument(page, { match: '/v1/chat/completions', observe: '.msg.assistant:last-child' });
  await page.goto(`${server.page}examples/chat/?profile=steady&tokens=12`);
  for (const q of ['What is TTFT?', 'And TPOT?']) {
    await page.fill('#input', q);
    await page.click('#send');
    await page.waitForSelector(`.msg.assistant[data-done="true"] >> nth=${q === 'What is TTFT?' ? 0 : 1}`, { timeout: 20_000 });
  }
  await page.waitForFunction(() => window.chatVitals.reports().length === 2, null, { timeout: 10_000 });
  const { responses, summary } = await collect(page);
  assert.equal(summary.responses, 2);
  const log = await server.log();
  for (const [i, r] of responses.entries()) {
    assert.equal(r.outcome, 'complete');
    assert.equal(r.outputTokens, 12);
    assert.equal(r.tokenSource, 'events', 'the app does not ask for usage (no stream_options), so tokens are counted from content events');
    assert.ok(r.ttftMs >= log[i].ttftMs, 'the page cannot see the first token before the endpoint sent it');
    assert.ok(r.perceivedTtftMs >= r.ttftMs, 'perceived TTFT (first painted glyph) comes after network TTFT');
  }
  const app = await page.locator('.msg.assistant').allInnerTexts();
  assert.deepEqual(app, log.map((l) => l.text), 'the app rendered exactly what the endpoint sent');
  await assertBudget(page, { 'ttft.p95': 5000, 'perceivedTtft.p95': 6000, 'stalls.max': 0 });
  const failing = await checkBudget(page, { 'ttft.p95': 1 });
  assert.equal(failing.pass, false);
  await assert.rejects(assertBudget(page, { 'ttft.p95': 1 }), /ttft\.p95/);
});
