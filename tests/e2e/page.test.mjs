// Issue 6: the audit page's main paths, driven like a person would: run with progress, cancel, export, compare,
// a CORS failure shown clearly, the API key kept out of URL/storage/report, and a readable results view at 1280×800.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, assertValidReport, REPO } from './harness.mjs';

let server;
let browser;
let page;
let firstReport;
const SHOTS = join(REPO, 'out', 'screenshots');

useBrowser({ profile: 'steady', viewport: { width: 1280, height: 800 } }, async (env) => {
  ({ server, browser } = env);
  page = browser.page;
  await page.goto(server.page);
  await page.evaluate(() => window.chatVitalsAudit.ready);
  mkdirSync(SHOTS, { recursive: true });
});

async function setRun(runs, warmup = 0, concurrency = 2) {
  await page.fill('input[name=runs]', String(runs));
  await page.fill('input[name=warmup]', String(warmup));
  await page.fill('input[name=concurrency]', String(concurrency));
}

test('run: progress advances, results and drill-down appear, and the view is readable at 1280×800', async () => {
  await page.selectOption('#preset', 'sim');
  await page.selectOption('#profile', 'steady');
  await setRun(3, 1);
  await page.click('#run');
  await page.waitForFunction(() => /^[12]\/4/.test(document.querySelector('#progress-text').textContent), null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('#progress-text').textContent.startsWith('4/4'), null, { timeout: 30_000 });
  await page.waitForSelector('#results:not([hidden])');
  await page.waitForFunction(() => !document.querySelector('#run').disabled);
  firstReport = await page.evaluate(() => window.chatVitalsAudit.lastReport);
  assertValidReport(firstReport);
  assert.equal(firstReport.summary.responses, 3);
  const summary = await page.locator('#summary').innerText();
  for (const label of ['TTFT', 'Perceived TTFT', 'Inter-chunk gap']) assert.match(summary, new RegExp(label));
  assert.equal(await page.locator('#responses tr[data-i]').count(), 4);
  assert.equal(await page.locator('#spectrum svg path').count() >= 2, true, 'spectrum has curves');
  // Readability: nothing in the results section overflows horizontally.
  const overflow = await page.evaluate(() => [...document.querySelectorAll('#results table, #results svg')]
    .filter((el) => el.getBoundingClientRect().right > document.querySelector('#results').getBoundingClientRect().right + 1).length);
  assert.equal(overflow, 0, 'tables and plots fit the results panel');
  await page.locator('#results').screenshot({ path: join(SHOTS, 'results-1280x800.png') });
  await page.screenshot({ path: join(SHOTS, 'page-1280x800.png') });
});

test('cancel stops a long run and marks the report cancelled', async () => {
  await setRun(200, 0, 1);
  await page.click('#run');
  await page.waitForFunction(() => /^[1-9]\d*\/200/.test(document.querySelector('#progress-text').textContent), null, { timeout: 30_000 });
  await page.click('#cancel');
  await page.waitForFunction(() => !document.querySelector('#run').disabled, null, { timeout: 30_000 });
  const r = await page.evaluate(() => window.chatVitalsAudit.lastReport);
  assert.equal(r.cancelled, true);
  assert.ok(r.responses.length < 200, `stopped early (${r.responses.length} responses)`);
  assertValidReport(r);
});

test('export: JSON and CSV downloads; compare with an earlier report shows per-percentile deltas', async () => {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=json]')]);
  const exported = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  assertValidReport(exported);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=csv]')]);
  assert.match(readFileSync(await csv.path(), 'utf8'), /^id,label,warmup,outcome,format/);
  const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=html]')]);
  const htmlText = readFileSync(await html.path(), 'utf8');
  assert.match(htmlText, /<script type="application\/json" id="chat-vitals-report">/);
  assert.doesNotMatch(htmlText, /<script src=|<link /, 'self-contained');
  const earlier = join(SHOTS, 'earlier-report.json');
  writeFileSync(earlier, JSON.stringify(firstReport));
  await page.setInputFiles('#compare-file', earlier);
  await page.waitForSelector('#compare-table');
  const rows = await page.locator('#compare-table tr').count();
  assert.ok(rows >= 3, 'compare table has metric rows');
  assert.match(await page.locator('#compare-table').innerText(), /→/);
});

test('an endpoint without CORS fails with a message that says what the endpoint must allow', async () => {
  await page.selectOption('#preset', 'openai-chat');
  await page.fill('input[name=endpoint]', `${server.api}/p/steady,cors=false`);
  await setRun(1, 0, 1);
  await page.click('#run');
  await page.waitForSelector('#error:not([hidden])', { timeout: 30_000 });
  const msg = await page.locator('#error').innerText();
  assert.match(msg, /CORS/);
  assert.match(msg, /Access-Control-Allow-Origin/);
});

test('the API key stays in memory: not in the URL, storage, or the report', async () => {
  const KEY = 'sk-page-test-SECRET-42';
  await page.selectOption('#preset', 'openai-chat');
  await page.fill('input[name=endpoint]', server.api);
  await page.fill('input[name=apiKey]', KEY);
  await setRun(1, 0, 1);
  await page.click('#run');
  await page.waitForFunction(() => !document.querySelector('#run').disabled && window.chatVitalsAudit.lastReport?.responses.length === 1, null, { timeout: 30_000 });
  const state = await page.evaluate(() => ({
    url: location.href, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }),
    report: JSON.stringify(window.chatVitalsAudit.lastReport), exports: JSON.stringify(window.chatVitalsAudit.exports()),
  }));
  for (const [where, text] of Object.entries(state)) assert.ok(!text.includes(KEY), `API key not in ${where}`);
  const r = await page.evaluate(() => window.chatVitalsAudit.lastReport);
  assert.equal(r.config.apiKeyProvided, true);
  assert.equal(r.responses[0].outcome, 'complete', 'the keyed request went through (CORS preflight with authorization allowed)');
});
