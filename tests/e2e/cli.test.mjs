// Issue 6: the headless CLI — summary, output files, exit codes (0 pass, 1 budget fails, 2 usage/unreachable),
// secrets and prompts never in any output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, assertValidReport } from './harness.mjs';

const CLI = join(REPO, 'www', 'cli', 'audit.mjs');
const SECRET = 'sk-test-CHATVITALS-0123456789';
const PROMPT = 'PROMPT-MARKER-tell-me-about-otters';

function cli(args, env = {}) {
  return spawnSync('node', [CLI, '--quiet', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
}
const quick = ['--runs', '3', '--warmup', '1', '--profile', 'steady', '--max-tokens', '6', '--concurrency', '2'];

test('exit 0: prints the summary and writes report.json/csv/hlog/html and a screenshot, without secrets', () => {
  const out = mkdtempSync(join(tmpdir(), 'cv-cli-'));
  const r = cli([...quick, '--out', out, '--prompt', PROMPT, '--header', 'X-Api-Key: $CV_TEST_SECRET'], { CV_TEST_SECRET: SECRET });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /TTFT\s+p50 [\d.]+ ms\s+p95 [\d.]+ ms\s+p99 [\d.]+ ms/);
  assert.match(r.stdout, /inter-chunk gap \(pooled\)\s+p50 [\d.]+ ms\s+p99 [\d.]+ ms/);
  assert.match(r.stdout, /stalls\s+total \d+/);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assertValidReport(report);
  assert.equal(report.summary.responses, 3);
  assert.equal(report.summary.warmupSkipped, 1);
  assert.deepEqual(report.config.headerNames, ['X-Api-Key']);
  for (const f of ['report.json', 'report.csv', 'report.hlog', 'report.html']) {
    const text = readFileSync(join(out, f), 'utf8');
    assert.ok(!text.includes(SECRET), `${f} has no API key`);
    assert.ok(!text.includes(PROMPT), `${f} has no prompt text`);
  }
  assert.equal(readFileSync(join(out, 'report.csv'), 'utf8').trim().split('\n').length, 1 + 4, 'header + one row per response');
  assert.match(readFileSync(join(out, 'report.hlog'), 'utf8'), /Tag=ttft,/);
  assert.ok(statSync(join(out, 'screenshot.png')).size > 10_000);
  rmSync(out, { recursive: true });
});

// --browser: the same audit in the other engines; the report says which engine ran it (config.browser, environment).
for (const [browser, engine] of [['firefox', 'Gecko'], ['webkit', 'WebKit']]) {
  test(`--browser ${browser}: the audit runs in ${engine} and the report names the engine`, () => {
    const out = mkdtempSync(join(tmpdir(), 'cv-cli-'));
    const r = cli([...quick, '--out', out, '--browser', browser]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^browser: .*\\(--browser ${browser}\\)$`, 'm'));
    assert.match(r.stdout, /TTFT\s+p50 [\d.]+ ms/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assertValidReport(report);
    assert.equal(report.config.browser, browser);
    assert.equal(report.environment.engine, engine);
    assert.doesNotMatch(report.environment.browser, /Safari/);
    assert.equal(report.summary.responses, 3);
    assert.deepEqual(Object.keys(report.summary.outcomes), ['complete']);
    assert.ok(statSync(join(out, 'screenshot.png')).size > 10_000);
    rmSync(out, { recursive: true });
  });
}

test('exit 1: a failing budget prints each violation', () => {
  const out = mkdtempSync(join(tmpdir(), 'cv-cli-'));
  const budget = join(out, 'budget.json');
  writeFileSync(budget, JSON.stringify({ 'ttft.p95': 1, 'gaps.p99': 100000 }));
  const r = cli([...quick, '--out', out, '--budget', budget]);
  assert.equal(r.status, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /budget: FAIL/);
  assert.match(r.stdout, /ttft\.p95/);
  assert.doesNotMatch(r.stdout, /gaps\.p99.*exceeds/);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assertValidReport(report);
  assert.equal(report.budget.pass, false);
  assert.equal(report.budget.violations.length, 1);
  rmSync(out, { recursive: true });
});

test('exit 2: usage errors and an unreachable endpoint, each with a one-line reason', () => {
  const cases = [
    [['--runs', '0'], /--runs needs an integer >= 1/],
    [['--bogus'], /unknown argument "--bogus"/],
    [['stray'], /unknown argument "stray"/],
    [['--runs'], /--runs needs a value/],
    [['--out', '--quiet'], /--out needs a value/],
    [['--quiet=yes'], /--quiet takes no value/],
    [['--runs=0'], /--runs needs an integer >= 1, got "0"/],
    [['--header', 'NoColon'], /--header needs "Name: value"/],
    [['--header', 'Authorization: $CV_NOT_SET_ANYWHERE'], /CV_NOT_SET_ANYWHERE is not set/],
    [['--preset', 'anthropic'], /needs --endpoint/],
    [['--browser', 'safari'], /--browser needs one of chromium, firefox, webkit, got "safari"/],
    [['--endpoint', 'http://127.0.0.1:9', '--runs', '1'], /unreachable/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('exit 2: a budget with an unknown key names the key before anything runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-cli-'));
  const budget = join(dir, 'budget.json');
  writeFileSync(budget, JSON.stringify({ 'tfft.p95': 100 }));
  const r = cli(['--budget', budget, '--out', dir]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /tfft/);
  rmSync(dir, { recursive: true });
});

test('measurement options, variance and queueing: prices and ratings reach the report, σ and CV per summary row, the plain reading, a warning above 6 connections', () => {
  const out = mkdtempSync(join(tmpdir(), 'cv-cli-'));
  const r = cli(['--runs', '8', '--warmup', '0', '--concurrency', '8', '--profile', 'realistic', '--max-tokens', '8', '--out', out,
    '--price-in', '0.15', '--price-out', '0.6', '--rating', 'ttft=1,2', '--qoe-reading-speed', '3', '--fluidity-tbt-deadline-ms', '60']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^chat-vitals: 8 responses \(8 complete\), 0 warm-up excluded; finish reasons: 8 stop$/m);
  assert.match(r.stderr, /warning: concurrency 8 exceeds the 6 connections a browser opens to one origin over HTTP\/1\.1/);
  for (const label of ['TTFT', 'perceived TTFT', 'inter-chunk gap \\(pooled\\)', 'TPOT', 'end-to-end', 'output tokens/s', 'fluidity index', 'reading-pace QoE']) {
    assert.match(r.stdout, new RegExp(`^${label}\\s.*σ \\S+( ms| s)?\\s+CV (\\d+\\.\\d %|–)`, 'm'), `${label} row has σ and CV`);
  }
  assert.match(r.stdout, /stalls\s+total \d+ .*per response σ/);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assertValidReport(report);
  const cv = report.summary.metrics.ttft.cv;
  assert.ok(r.stdout.includes(`TTFT varies ±${(cv * 100).toFixed(cv < 0.1 ? 1 : 0)} % between identical requests`), r.stdout);
  assert.deepEqual(report.config.cost, { inputUsdPerMtok: 0.15, outputUsdPerMtok: 0.6 });
  assert.deepEqual(report.config.ratings, { ttft: [1, 2] });
  assert.deepEqual(report.config.qoe, { readingTokensPerS: 3 });
  assert.deepEqual(report.config.fluidity, { tbtDeadlineMs: 60 });
  assert.equal(report.config.profile, 'realistic');
  for (const x of report.responses) {
    assert.ok(Math.abs(x.costUsd - (x.inputTokens * 0.15 + x.outputTokens * 0.6) / 1e6) < 1e-12, `costUsd ${x.costUsd}`);
    assert.equal(x.ratings.ttft, 'poor', 'rated with the override');
  }
  assert.match(r.stdout, /^cost per response\s+p50 \$[\d.e-]+/m);
  assert.match(r.stdout, /^cost per 1k output tokens\s+p50 \$/m);
  assert.ok(report.responses.every((x) => typeof x.browserQueueMs === 'number'), 'each response has its browser-side queueing');
  assert.ok(report.warnings.some((w) => /exceeds the 6 connections/.test(w)));
  rmSync(out, { recursive: true });
});

test('exit 2: a bad measurement option names its flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-cli-'));
  const prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ 'other-model': { inputUsdPerMtok: 1, outputUsdPerMtok: 2 } }));
  const badPrices = join(dir, 'bad-prices.json');
  writeFileSync(badPrices, JSON.stringify({ 'sim-model': { inputUsdPerMtok: -1, outputUsdPerMtok: 2 } }));
  const cases = [
    [['--price-in=-1', '--price-out', '1'], /--price-in needs a number >= 0/],
    [['--price-in', 'cheap', '--price-out', '1'], /--price-in needs a number >= 0 \(USD per million input tokens\), got "cheap"/],
    [['--price-out', '1'], /--price-in is needed with --price-out/],
    [['--prices', prices], /--prices has no prices for model "sim-model"/],
    [['--prices', badPrices], /--prices sim-model\.inputUsdPerMtok needs a number >= 0/],
    [['--prices', join(dir, 'missing.json')], /--prices: cannot read/],
    [['--prices', prices, '--price-in', '1', '--price-out', '1', '--model', 'other-model'], /--prices cannot be combined with --price-in\/--price-out/],
    [['--qoe-ttft-penalty', '2'], /--qoe-ttft-penalty needs a number in \[0, 1\]/],
    [['--qoe-reading-speed', '0'], /--qoe-reading-speed needs a number > 0/],
    [['--fluidity-tbt-deadline-ms', 'x'], /--fluidity-tbt-deadline-ms needs a number > 0/],
    [['--stall-threshold-ms=-5'], /--stall-threshold-ms needs a number > 0/],
    [['--rating', 'ttft'], /--rating needs METRIC=GOOD,POOR/],
    [['--rating', 'bogus=1,2'], /--rating bogus is not a rated metric/],
    [['--rating', 'fluidity=0.5,0.9'], /--rating fluidity is higher-is-better, so GOOD must be >= POOR/],
    [['--endpoint', 'http://127.0.0.1:9', '--profile', 'steady'], /--profile applies to the simulated endpoint only/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
  rmSync(dir, { recursive: true });
});
