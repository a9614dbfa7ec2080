// Issue 14: chat-vitals in a Selenium suite (www/kit/webdriver.js), in Firefox ESR through geckodriver. instrument()
// registers the injectable build as a WebDriver BiDi preload script, so the unmodified sample chat page (the real
// `openai` SDK) is measured from its first fetch; inject() instruments an already loaded page (classic WebDriver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until, By } from 'selenium-webdriver';
import { useBrowser } from './harness.mjs';
import { instrument, inject, collect, assertBudget, checkBudget } from '../../www/kit/webdriver.js';
import { assertTtftMatches, onlyLog, untilTimely } from './kit-helpers.mjs';

let server;
let driver;
useBrowser({ profile: 'steady', engine: 'firefox', bidi: true }, (env) => {
  server = env.server;
  driver = env.browser.driver;
});

test('instrument(driver): an unmodified chat page in Firefox is measured from its first fetch and meets a budget', (t) => untilTimely(t, server, async () => {
  const preload = await instrument(driver, { match: '/v1/chat/completions', observe: '.msg.assistant:last-child' });
  try {
    await instrumentedChat();
  } finally {
    await driver.script().unpin(preload); // the next test loads pages without it
  }
}));

async function instrumentedChat() {
  await server.clear();
  await driver.get(`${server.page}examples/chat/?profile=steady&tokens=12`);
  for (const [i, q] of ['What is TTFT?', 'And TPOT?'].entries()) {
    const input = await driver.wait(until.elementLocated(By.css('#input')), 20_000);
    await input.clear();
    await input.sendKeys(q);
    await driver.findElement(By.css('#send')).click();
    await driver.wait(async () => (await driver.findElements(By.css('.msg.assistant[data-done="true"]'))).length > i, 20_000);
  }
  await driver.wait(async () => (await collect(driver)).responses.length === 2, 10_000);
  const { responses, summary, environment, diagnostics } = await collect(driver);
  const log = await server.log();
  assert.equal(summary.responses, 2);
  assert.deepEqual(diagnostics, []);
  assert.equal(environment.engine, 'Gecko');
  assert.ok(environment.unavailableMetrics.includes('longFrameCount'), 'the report says long frames cannot be measured here');
  const texts = await Promise.all((await driver.findElements(By.css('.msg.assistant'))).map((e) => e.getText()));
  assert.deepEqual(texts, log.map((l) => l.text), 'the app rendered exactly what the endpoint sent');
  for (const [i, r] of responses.entries()) {
    assert.equal(r.outcome, 'complete');
    assert.equal(r.outputTokens, 12);
    // The first answer of a fresh page shares the main thread with one-time costs (the SDK's and the kit's first
    // runs), as any audit's warm-up does: it is only bounded below; the second must match the endpoint's log.
    if (i === 0) assert.ok(r.ttftMs >= log[i].ttftMs, 'the page cannot see the first token before the endpoint sent it');
    else assertTtftMatches(r, log[i]);
    assert.ok(r.perceivedTtftMs >= r.ttftMs, 'perceived TTFT (first painted glyph) comes after network TTFT');
    assert.equal(r.longFrameCount, null, 'not measurable in Firefox: null, not 0');
  }
  await assertBudget(driver, { 'ttft.p95': 5000, 'perceivedTtft.p95': 6000, 'stalls.max': 0 });
  assert.equal((await checkBudget(driver, { 'ttft.p95': 1 })).pass, false);
  await assert.rejects(assertBudget(driver, { 'ttft.p95': 1 }), /ttft\.p95/);
}

test('inject(driver) after get(): fetches from then on are measured; collect() before any kit says what to do', (t) => untilTimely(t, server, async () => {
  await driver.get(`${server.page}test-pages/kit.html`);
  await server.clear();
  await assert.rejects(collect(driver), /call instrument\(\) before get\(\), or inject\(\) after it/);
  assert.equal(await inject(driver, { match: '/v1/chat/completions' }), true);
  await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
    fetch('${server.api}/p/steady,tokens=6/v1/chat/completions', { method: 'POST', body: '{"stream":true}' })
      .then((r) => r.text()).then(() => done(), (e) => done(String(e)));`);
  await driver.wait(async () => (await collect(driver)).responses.length === 1, 10_000);
  const { responses } = await collect(driver);
  assert.equal(responses[0].outcome, 'complete');
  assert.equal(responses[0].outputTokens, 6);
  assertTtftMatches(responses[0], await onlyLog(server));
}));
