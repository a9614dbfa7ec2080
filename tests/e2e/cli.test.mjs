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
