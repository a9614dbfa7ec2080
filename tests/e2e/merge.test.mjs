// Issue 16, item 1: sharded runs merge losslessly. In Chromium, 40 streamed responses from the simulated endpoint are
// each measured twice from the same reads and timestamps: once into a single run's session, once into one of 4 shard
// sessions. The shard reports merged by `node www/cli/merge.mjs` must equal the single run's: histograms bucket for
// bucket (decoded by hdr-histogram-js, an independent implementation), summary, CSV rows, .hlog intervals, the
// HTML summary table and plots; a budget exits 0/1 as it holds on the single run. Bad inputs exit 2, write nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import { useBrowser, REPO, assertValidReport } from './harness.mjs';

const MERGE = join(REPO, 'www', 'cli', 'merge.mjs');
const RESPONSES = 40;
const SHARDS = 4;
let server;
let browser;
let dir;
let run; // {single: {json, csv, hlog, html, budgetPass, budgetFail}, shards: [json…], budgets}

/** 40 responses, each fed to the single session and to its shard's session with the same bytes and times. */
async function measureTwice({ api, responses, shards }) {
  const cv = await import('/kit/index.js');
  // The full build (budgets below), the one the audit page itself is loading: awaiting load() instead raced it (a
  // session could start on the embedded build and checkBudget would be missing; load-order.test.mjs).
  if (!(await cv.loadFull())) throw new Error(`the full build did not load: ${JSON.stringify(cv.diagnostics)}`);
  const { buildReport, toCsv, toHtml } = await import('/audit/report.js');
  const { summaryTableHtml, renderResults } = await import('/audit/results.js');
  const single = new cv.Session();
  const parts = Array.from({ length: shards }, () => new cv.Session());
  const perShard = responses / shards;
  const reportsOf = new Map([[single, []], ...parts.map((p) => [p, []])]);
  const one = async (i) => {
    const sessions = [single, parts[Math.floor(i / perShard)]];
    const startMs = performance.now();
    const opts = { startMs, warmup: i === 0, label: `#${i + 1}`, captureText: true, sendAction: false };
    const handles = sessions.map((session) => cv.begin({ ...opts, session }));
    const res = await fetch(`${api}/p/realistic,seed=${i + 1},tokens=24/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    const headersAt = performance.now();
    handles.forEach((h) => h.headers(res.status, res.headers, headersAt));
    const reader = res.body.getReader();
    let visible = 0;
    for (;;) {
      const { done, value } = await reader.read();
      const at = performance.now();
      if (done) break;
      handles.forEach((h) => h.chunk(value, at));
      const text = handles.map((h) => h.takeText());
      visible += text[0].length;
      await new Promise((r) => requestAnimationFrame(r));
      const paintAt = performance.now();
      handles.forEach((h) => h.paint(visible, paintAt));
    }
    const endAt = performance.now();
    handles.forEach((h, k) => reportsOf.get(sessions[k]).push([i, h.end('eof', endAt)]));
  };
  // 4 at a time; every response lands in the same order in the single run and in its shard.
  for (let i = 0; i < responses; i += 4) await Promise.all([0, 1, 2, 3].map((k) => one(i + k)));
  const responsesOf = (s) => reportsOf.get(s).sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  const config = (runs) => ({ runs, warmup: 1, concurrency: 4, firstTokenRule: 'first-content', preset: 'sim' });
  const report = (s, runs) => buildReport({ config: config(runs), session: s, responses: responsesOf(s), errors: [], cancelled: false, durationMs: 1 });
  const singleReport = await report(single, responses);
  renderResults(singleReport); // the audit page's own rendering, as the CLI's report.html has it
  const p95 = singleReport.summary.metrics.ttft.p95;
  const budgets = { pass: { 'ttft.p95': p95, 'stalls.max': 1000 }, fail: { 'ttft.p95': p95 - 1 } };
  return {
    single: {
      json: singleReport, csv: toCsv(singleReport), hlog: singleReport.hlog,
      html: toHtml(singleReport, summaryTableHtml(singleReport), document.querySelector('#results .plots').outerHTML),
      budgetPass: single.aggregate.checkBudget(budgets.pass).pass, budgetFail: single.aggregate.checkBudget(budgets.fail).pass,
    },
    shards: await Promise.all(parts.map((p) => report(p, perShard))),
    budgets,
  };
}

useBrowser({ profile: 'realistic' }, async (env) => {
  ({ server, browser } = env);
  dir = mkdtempSync(join(tmpdir(), 'cv-merge-'));
  await browser.page.goto(`${server.page}audit/`);
  run = await browser.page.evaluate(measureTwice, { api: server.api, responses: RESPONSES, shards: SHARDS });
  run.shards.forEach((r, i) => writeFileSync(join(dir, `shard-${i + 1}.json`), JSON.stringify(r)));
  writeFileSync(join(dir, 'pass.json'), JSON.stringify(run.budgets.pass));
  writeFileSync(join(dir, 'fail.json'), JSON.stringify(run.budgets.fail));
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shardFiles = () => run.shards.map((_, i) => join(dir, `shard-${i + 1}.json`));
const merge = (...args) => spawnSync(process.execPath, [MERGE, ...args], { encoding: 'utf8' });

/** Non-empty buckets of a HISTF… histogram as [lowest value of the bucket, count], decoded by hdr-histogram-js. */
function buckets(b64) {
  const h = hdr.decodeFromCompressedBase64(b64);
  const out = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c) out.push([h.valueFromIndex(i), c]);
  }
  h.destroy?.();
  return out;
}

const svgs = (html) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const summaryTable = (html) => /<table class="summary">[\s\S]*?<\/table>/.exec(html)?.[0];
const withoutColumn = (csv, name) => {
  const rows = csv.trim().split('\n').map((r) => r.split(','));
  const k = rows[0].indexOf(name);
  return rows.map((r) => r.filter((_, j) => j !== k).join(','));
};
const hlogIntervals = (hlog) => hlog.split('\n').filter((l) => l.startsWith('Tag='))
  .map((l) => { const [tag, , , max, b64] = l.split(','); return { tag, max, buckets: buckets(b64) }; });

test('4 shard reports merge to the single run: histograms bucket for bucket, summary, CSV, .hlog, HTML', () => {
  const out = join(dir, 'merged');
  const r = merge(...shardFiles(), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const single = run.single.json;
  assertValidReport(merged);
  assert.equal(merged.summary.responses, RESPONSES - 1, 'one warm-up response, in shard 1');
  assert.ok(single.summary.metrics.gaps.count > RESPONSES * 10, 'pooled gaps are in the histograms');
  assert.ok(single.summary.metrics.perceivedTtft.count > 0 && single.summary.metrics.renderLag.count > 0, 'paint metrics too');
  assert.deepEqual(Object.keys(merged.histograms).sort(), Object.keys(single.histograms).sort());
  for (const [metric, b64] of Object.entries(single.histograms)) {
    assert.deepEqual(buckets(merged.histograms[metric]), buckets(b64), `${metric}: the same count in every bucket`);
  }
  assert.deepEqual(merged.summary, single.summary);
  assert.deepEqual(merged.spectra, single.spectra);
  assert.deepEqual(merged.gapBins, single.gapBins);
  assert.equal(merged.merged.from.length, SHARDS);
  // CSV: the same rows in the same order (response ids are per measurement, so that column differs by design).
  const csv = readFileSync(join(out, 'report.csv'), 'utf8');
  assert.deepEqual(withoutColumn(csv, 'id'), withoutColumn(run.single.csv, 'id'));
  // .hlog: one interval per metric, the same histograms and max column.
  const hlog = readFileSync(join(out, 'report.hlog'), 'utf8');
  assert.deepEqual(hlogIntervals(hlog), hlogIntervals(run.single.hlog));
  assert.ok(hlogIntervals(hlog).length > 10);
  // HTML: the summary table and both plots as the audit page renders them.
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(summaryTable(html), summaryTable(run.single.html));
  assert.equal(svgs(run.single.html).length, 2);
  assert.deepEqual(svgs(html), svgs(run.single.html));
});

test('a budget on the merged report exits 0 / 1 exactly as it holds on the single run', () => {
  assert.equal(run.single.budgetPass, true);
  assert.equal(run.single.budgetFail, false);
  const pass = merge(...shardFiles(), '--out', join(dir, 'b-pass'), '--budget', join(dir, 'pass.json'));
  assert.equal(pass.status, 0, pass.stdout + pass.stderr);
  assert.match(pass.stdout, /budget: pass/);
  const fail = merge(...shardFiles(), '--out', join(dir, 'b-fail'), '--budget', join(dir, 'fail.json'));
  assert.equal(fail.status, 1, fail.stdout + fail.stderr);
  assert.match(fail.stdout, /budget: FAIL\n\s+- ttft\.p95/);
});

/** A copy of `b64` whose header declares `digits` significant digits (decodable, but other buckets). */
function withDigits(b64, digits) {
  const bytes = Buffer.from(b64, 'base64');
  const inner = inflateSync(bytes.subarray(8, 8 + bytes.readInt32BE(4)));
  inner.writeInt32BE(digits, 12);
  const z = deflateSync(inner);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(0x1c849314, 0);
  head.writeInt32BE(z.length, 4);
  return Buffer.concat([head, z]).toString('base64');
}

test('incompatible inputs exit 2 naming the file and the reason, and write nothing', () => {
  const bad = (name, content) => { const f = join(dir, name); writeFileSync(f, content); return f; };
  const shard = run.shards[1];
  const cases = [
    [bad('v2.json', JSON.stringify({ ...shard, schema: 2 })), /schema version 2; this build reads version 1/],
    [bad('digits.json', JSON.stringify({ ...shard, histograms: { ...shard.histograms, ttft: withDigits(shard.histograms.ttft, 2) } })),
      /histogram ttft: histogram settings differ \(2 significant digits/],
    [bad('empty.json', '{}'), /not a chat-vitals report/],
    [bad('text.json', 'TTFT p95 400 ms'), /not a chat-vitals report \(not JSON/],
    [bad('rule.json', JSON.stringify({ ...shard, config: { ...shard.config, firstTokenRule: 'first-byte' } })), /first-token rule first-byte differs/],
  ];
  for (const [file, reason] of cases) {
    const out = join(dir, `never-${file.split('/').pop()}`);
    const r = merge(shardFiles()[0], file, '--out', out);
    assert.equal(r.status, 2, `${file}: ${r.stdout}${r.stderr}`);
    assert.ok(r.stderr.includes(file), `names the file: ${r.stderr}`);
    assert.match(r.stderr, reason);
    assert.equal(existsSync(out), false, `${file}: nothing written`);
  }
  const usage = merge(...shardFiles());
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--out DIR is required/);
  const badBudget = merge(...shardFiles(), '--out', join(dir, 'never-budget'), '--budget', bad('b.json', '{"ttft.p42x": 1}'));
  assert.equal(badBudget.status, 2);
  assert.match(badBudget.stderr, /invalid budget: .*ttft\.p42x/);
  assert.equal(existsSync(join(dir, 'never-budget')), false);
});

test('Playwright shards: instrument() each page, writeReport() per shard, merge.mjs combines them and asserts the budget', async () => {
  const { instrument, writeReport } = await import('../../www/kit/playwright.js');
  const files = [];
  for (let shard = 0; shard < 2; shard++) {
    const page = await browser.context.newPage();
    try {
      await instrument(page, { match: '/v1/chat/completions' });
      await page.goto(`${server.page}test-pages/kit.html`);
      await page.evaluate(async (api) => {
        for (let i = 0; i < 3; i++) await (await fetch(`${api}/p/scripted,ttft=30,tokens=8/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })).text();
      }, server.api);
      await page.waitForFunction(() => window.chatVitals.reports().length === 3);
      const file = join(dir, 'pw', `shard-${shard + 1}`, 'chat-vitals.json');
      const report = await writeReport(page, file);
      assertValidReport(report);
      assert.equal(report.summary.responses, 3);
      files.push(file);
    } finally {
      await page.close();
    }
  }
  // A test that never chatted writes a report of nothing; it merges as nothing.
  const idle = await browser.context.newPage();
  try {
    await instrument(idle, { match: '/v1/chat/completions' });
    await idle.goto(`${server.page}test-pages/kit.html`);
    const file = join(dir, 'pw', 'idle', 'chat-vitals.json');
    const empty = await writeReport(idle, file);
    assertValidReport(empty);
    assert.equal(empty.summary, null);
    files.push(file);
  } finally {
    await idle.close();
  }
  const budget = join(dir, 'pw-budget.json');
  writeFileSync(budget, JSON.stringify({ 'ttft.p95': 5000, 'ttft.count': 6 }));
  const r = merge(...files, '--out', join(dir, 'pw-merged'), '--budget', budget);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /merged 3 reports[\s\S]*6 responses \(6 complete\)[\s\S]*budget: pass/);
  const merged = JSON.parse(readFileSync(join(dir, 'pw-merged', 'report.json'), 'utf8'));
  assert.deepEqual(merged.merged.from.map((f) => f.responses), [3, 3, 0]);
});
