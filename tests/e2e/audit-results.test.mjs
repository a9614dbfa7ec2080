// Issue 13 (page side): variance on view (stddev, CV and a plain reading) in the results table and the HTML report; CSV
// columns that are report keys, filled wherever the report has the value; concurrency above the browser's 6 HTTP/1.1
// connections warned before the run and each response's browser-side queueing in the report; the timing profile only
// for the simulated endpoint; measurement options from the form, with errors that name the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, assertValidReport } from './harness.mjs';

let server;
let browser;
let page;

useBrowser({ profile: 'steady', viewport: { width: 1280, height: 800 } }, async (env) => {
  ({ server, browser } = env);
  page = browser.page;
});

async function open(query = '') {
  await page.goto(`${server.page}${query}`);
  await page.evaluate(() => window.chatVitalsAudit.ready);
}

/** Fills the form's fields (name → value; inputs and textareas). */
async function fill(fields) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name=${name}]`, value);
}

/** Clicks Run and resolves the audit's report once its `responses` are in and the page is idle again. */
async function runAudit(responses) {
  await page.click('#run');
  await page.waitForFunction((n) => window.chatVitalsAudit.lastReport?.responses.length === n && !document.querySelector('#run').disabled,
    responses, { timeout: 60_000 });
  return page.evaluate(() => window.chatVitalsAudit.lastReport);
}

/** Parses the CSV the page exports (quoted cells allowed). */
function parseCsv(text) {
  const rows = [];
  for (const line of text.trim().split('\n')) {
    const cells = [];
    let cur = ''; let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') { cells.push(cur); cur = ''; } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

test('results table and HTML report show stddev and CV per metric, and the variance in plain words', async () => {
  await open();
  await page.selectOption('#preset', 'sim');
  await page.selectOption('#profile', 'realistic');
  await fill({ runs: '5', warmup: '0', concurrency: '1' });
  const report = await runAudit(5);
  assertValidReport(report);
  assert.equal(report.config.distinctPromptCount, 1);
  const ttft = report.summary.metrics.ttft;
  assert.ok(ttft.stddev > 0 && ttft.cv > 0, `the realistic profile varies: ${JSON.stringify(ttft)}`);
  const head = await page.locator('#summary tr').first().innerText();
  assert.match(head, /stddev/);
  assert.match(head, /CV/);
  const cell = (col) => page.locator(`#summary tr[data-metric=ttft] td[data-col=${col}]`).innerText();
  const fmtMs = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
  assert.equal(await cell('stddev'), fmtMs(ttft.stddev));
  assert.equal(await cell('cv'), `${(ttft.cv * 100).toFixed(1)} %`);
  // Every metric row has both spread cells.
  const rows = await page.locator('#summary tr[data-metric]').count();
  assert.ok(rows >= 5);
  assert.equal(await page.locator('#summary tr[data-metric] td[data-col=cv]').count(), rows);
  const reading = await page.locator('#variance').innerText();
  const x = (ttft.cv * 100).toFixed(ttft.cv < 0.1 ? 1 : 0);
  assert.match(reading, new RegExp(`TTFT varies ±${x.replace('.', '\\.')} % between identical requests`));
  const html = await page.evaluate(() => window.chatVitalsAudit.exports().html);
  assert.match(html, /<th>stddev<\/th><th>CV<\/th>/);
  assert.ok(html.includes(`TTFT varies ±${x} % between identical requests`), 'the HTML report has the plain reading');

  // CSV: every column is a report key; a cell is filled exactly where the report has the value.
  const [header, ...lines] = parseCsv(await page.evaluate(() => window.chatVitalsAudit.exports().csv));
  assert.equal(lines.length, report.responses.length);
  for (const col of header) {
    assert.ok(report.responses.every((r) => col in r), `CSV column ${col} is a key of every response report`);
  }
  lines.forEach((cells, i) => {
    const r = report.responses[i];
    header.forEach((col, j) => {
      const v = r[col];
      assert.equal(cells[j], v === null || v === undefined ? '' : String(v), `row ${i} column ${col}`);
    });
  });
  const chunkCol = header.indexOf('chunkCount');
  assert.ok(chunkCol >= 0 && lines.every((c) => Number(c[chunkCol]) > 0), 'the chunk count is filled');
});

test('concurrency above 6 is warned before the run, and each response carries its browser-side queueing', async () => {
  // The API port is another origin: its Resource Timing details need Timing-Allow-Origin (the sim sends it).
  await open(`?api=${encodeURIComponent(server.api)}`);
  await fill({ runs: '8', warmup: '0', concurrency: '8' });
  const warning = await page.locator('#concurrency-warning').innerText();
  assert.match(warning, /concurrency 8 exceeds the 6 connections a browser opens to one origin over HTTP\/1\.1/);
  // Each answer holds its connection ~600 ms, so requests 7 and 8 wait in the browser for one to free up.
  const report = await page.evaluate(() => window.chatVitalsAudit.run({ preset: 'sim', profile: 'scripted', runs: 8, warmup: 0,
    concurrency: 8, prompts: ['q'], sim: { ttft_ms: 500, gaps_ms: [50, 50], tokens: 3 } }));
  assertValidReport(report);
  assert.equal(report.responses.length, 8);
  assert.ok(report.warnings.some((w) => /exceeds the 6 connections/.test(w)), JSON.stringify(report.warnings));
  assert.match(await page.locator('#run-warnings').innerText(), /exceeds the 6 connections/, 'the results repeat the warning');
  const queuedCells = await page.locator('#responses td[data-col=queued]').allInnerTexts();
  assert.equal(queuedCells.length, 8);
  assert.ok(queuedCells.every((t) => /\d/.test(t)), `each response row shows its queueing: ${queuedCells}`);
  assert.match(await page.evaluate(() => window.chatVitalsAudit.exports().html), /Warning: concurrency 8 exceeds/);
  assert.ok(report.responses.every((r) => r.nextHopProtocol === 'http/1.1'), 'the sim speaks HTTP/1.1');
  const q = report.responses.map((r) => r.browserQueueMs);
  assert.ok(q.every((v) => typeof v === 'number' && v >= 0), `every response has its queueing: ${q}`);
  // The first 6 wait only for their connection and CORS preflight; 7 and 8 also for a connection to free up, which
  // takes an answer (≥ 550 ms): they stand ≥ 300 ms above all the others.
  const sorted = [...q].sort((a, b) => a - b);
  assert.ok(sorted[6] - sorted[5] >= 300, `two requests waited for a connection: ${sorted.map((v) => v.toFixed(1))}`);
  // The wait is in the reported TTFT: the endpoint's own TTFT is 500 ms.
  for (const r of report.responses.filter((x) => x.browserQueueMs >= sorted[6])) assert.ok(r.ttftMs >= 500 + 300, `TTFT ${r.ttftMs}`);
  await fill({ concurrency: '6' });
  assert.equal(await page.locator('#concurrency-warning').isHidden(), true, 'no warning at 6');
});

test('a real endpoint\'s report and page carry no timing profile; a preset\'s format is reported as chosen by the preset', async () => {
  await open();
  const report = await page.evaluate((api) => window.chatVitalsAudit.run({ preset: 'openai-chat', endpoint: api, profile: 'realistic',
    runs: 1, warmup: 0, concurrency: 1, prompts: ['q'], format: 'auto' }), server.api);
  assertValidReport(report);
  assert.equal(report.responses[0].outcome, 'complete');
  assert.equal(report.responses[0].formatDetectedBy, 'preset', 'the user chose auto: the preset implied the format');
  assert.equal('profile' in report.config, false, 'no profile in the config of a real endpoint');
  const chosen = await page.evaluate((api) => window.chatVitalsAudit.run({ preset: 'openai-chat', endpoint: api, runs: 1, warmup: 0,
    concurrency: 1, prompts: ['q'], format: 'openai-chat' }), server.api);
  assert.equal(chosen.responses[0].formatDetectedBy, 'override', 'a format the user named');
  assert.equal(await page.locator('#profile-row').isHidden(), true, 'the form shows no timing profile for it');
  const sim = await page.evaluate(() => window.chatVitalsAudit.run({ preset: 'sim', profile: 'steady', runs: 1, warmup: 0, concurrency: 1, prompts: ['q'] }));
  assert.equal(sim.config.profile, 'steady');
  assert.equal(await page.locator('#profile-row').isHidden(), false);
});

test('form: a bad measurement option is refused naming the field and its CLI flag; rating overrides color the table', async () => {
  await open();
  await page.locator('details summary').first().click();
  await fill({ runs: '2', warmup: '0', priceIn: '-1', priceOut: '0.6' });
  await page.click('#run');
  await page.waitForSelector('#error:not([hidden])');
  const msg = await page.locator('#error').innerText();
  assert.match(msg, /^Price in/);
  assert.match(msg, /--price-in/);
  assert.equal(await page.evaluate(() => window.chatVitalsAudit.lastReport), null, 'nothing ran');
  await fill({ priceIn: '', priceOut: '', ratings: 'ttft=1,2\nbogus=1,2' });
  await page.click('#run');
  await page.waitForFunction(() => /bogus/.test(document.querySelector('#error').textContent));
  assert.match(await page.locator('#error').innerText(), /bogus is not a rated metric/);
  // A threshold every response misses: the TTFT cells read poor with the override, good without it.
  await fill({ ratings: 'ttft=1,2' });
  const report = await runAudit(2);
  assert.deepEqual(report.config.ratings, { ttft: [1, 2] });
  assert.equal(await page.locator('#summary tr[data-metric=ttft] td[data-col=p50]').getAttribute('class'), 'poor');
  assert.ok(report.responses.every((r) => r.ratings.ttft === 'poor'), 'the kit rated with the override too');
});

test('form: prices, QoE and fluidity parameters reach every response; cost rows appear in the results', async () => {
  await open();
  await page.locator('details summary').first().click();
  await fill({ runs: '2', warmup: '0', concurrency: '1', priceIn: '2', priceOut: '8', qoeTtftExpectedMs: '0', fluidityTtftDeadlineMs: '1' });
  const report = await runAudit(2);
  assertValidReport(report);
  assert.deepEqual(report.config.cost, { inputUsdPerMtok: 2, outputUsdPerMtok: 8 });
  for (const r of report.responses) {
    assert.ok(r.inputTokens > 0 && r.outputTokens > 0, 'the sim reports usage');
    const expected = (r.inputTokens * 2 + r.outputTokens * 8) / 1e6;
    assert.ok(Math.abs(r.costUsd - expected) < 1e-12, `costUsd ${r.costUsd} = ${expected}`);
    assert.ok(r.fluidityMissedDeadlines >= 1, 'a 1 ms first-token deadline is missed');
  }
  assert.ok(report.summary.metrics.costUsd.count === 2);
  assert.match(await page.locator('#summary').innerText(), /Cost per response \(USD\)/);
  assert.match(await page.locator('#results-meta').innerText(), /finish reasons: 2 stop/);
  // The CSV carries the cost and the finish reason.
  const csv = await page.evaluate(() => window.chatVitalsAudit.exports().csv);
  const [header, first] = csv.trim().split('\n').map((l) => l.split(','));
  assert.equal(first[header.indexOf('costUsd')], String(report.responses[0].costUsd));
  assert.equal(first[header.indexOf('finishReason')], 'stop');
});
