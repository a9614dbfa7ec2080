// The audit's pure helpers (www/audit/options.js, variance.js, queueing.js), shared by the page and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOptions, checkRatings, pricesFor, OptionError } from '../../www/audit/options.js';
import { varianceReading, identicalRequests, fmtCv } from '../../www/audit/variance.js';
import { concurrencyWarning, queueMsOf } from '../../www/audit/queueing.js';

test('readOptions: every option lands in the MeterOptions shape; unset keys stay unset', () => {
  assert.deepEqual(readOptions({ ratings: [] }), {});
  assert.deepEqual(readOptions({
    priceIn: '0.15', priceOut: 0.6, qoeReadingSpeed: '3.3', qoeTtftExpectedMs: '0', qoeTtftPenalty: '0.5',
    fluidityTtftDeadlineMs: '200', fluidityTbtDeadlineMs: '40', stallThresholdMs: '300', ratings: ['ttft=800,1800', ' ', 'qoe:0.95,0.8'],
  }), {
    cost: { inputUsdPerMtok: 0.15, outputUsdPerMtok: 0.6 },
    qoe: { readingTokensPerS: 3.3, ttftExpectedMs: 0, ttftPenaltyAlpha: 0.5 },
    fluidity: { ttftDeadlineMs: 200, tbtDeadlineMs: 40 },
    stallThresholdMs: 300,
    ratings: { ttft: [800, 1800], qoe: [0.95, 0.8] },
  });
});

test('readOptions: prices by model, with "*" for any model', () => {
  const prices = { 'gpt-4o-mini': { inputUsdPerMtok: 0.15, outputUsdPerMtok: 0.6 }, '*': { inputUsdPerMtok: 1, outputUsdPerMtok: 2 } };
  assert.deepEqual(readOptions({ prices }, { model: 'gpt-4o-mini' }).cost, { inputUsdPerMtok: 0.15, outputUsdPerMtok: 0.6 });
  assert.deepEqual(readOptions({ prices }, { model: 'other' }).cost, { inputUsdPerMtok: 1, outputUsdPerMtok: 2 });
  assert.throws(() => pricesFor([], 'm'), /--prices needs a JSON object keyed by model/);
  assert.throws(() => pricesFor({ m: { inputUsdPerMtok: 1 } }, 'm'), /--prices m\.outputUsdPerMtok needs a number >= 0/);
});

test('bad values throw OptionError naming the flag and the form field', () => {
  const e = (() => { try { readOptions({ qoeTtftPenalty: '1.5' }); } catch (x) { return x; } })();
  assert.ok(e instanceof OptionError);
  assert.equal(e.flag, '--qoe-ttft-penalty');
  assert.equal(e.field, 'qoeTtftPenalty');
  assert.match(e.message, /^--qoe-ttft-penalty needs a number in \[0, 1\]/);
  assert.throws(() => readOptions({ priceIn: '1' }), /--price-out is needed with --price-in/);
  assert.throws(() => readOptions({ ratings: ['ttft=a,b'] }), /--rating ttft thresholds must be numbers/);
  const table = { ttft: { good: 500, poor: 2000, direction: 'lower-is-better' }, qoe: { good: 0.9, poor: 0.75, direction: 'higher-is-better' } };
  assert.doesNotThrow(() => checkRatings({ ttft: [800, 1800], qoe: [0.95, 0.8] }, table));
  assert.throws(() => checkRatings({ ttft: [1800, 800] }, table), /--rating ttft is lower-is-better, so GOOD must be <= POOR/);
  assert.throws(() => checkRatings({ fluidity: [1, 0] }, table), /--rating fluidity is not a rated metric \(rated: ttft, qoe\)/);
});

test('varianceReading: identical requests vs different prompts; metrics without a CV are left out', () => {
  const summary = { metrics: { ttft: { count: 20, mean: 125, stddev: 15, cv: 0.12 }, tpot: { count: 20, mean: 30, stddev: 0.6, cv: 0.02 },
    e2eStreamEnd: { count: 1, mean: 900, stddev: 0, cv: 0 }, outputTokensPerSecond: { count: 20, mean: 40, stddev: 4, cv: 0.1, unit: 'tokens/s' },
    perceivedTtft: { count: 0, cv: null } } };
  const fmt = (v) => `${v} ms`;
  const same = varianceReading({ summary, config: { promptCount: 20, distinctPromptCount: 1 } }, (v, k) => (k === 'outputTokensPerSecond' ? String(v) : fmt(v)));
  assert.deepEqual(same, [
    'TTFT varies ±12 % between identical requests (σ 15 ms around a mean of 125 ms, 20 responses)',
    'TPOT varies ±2.0 % between identical requests (σ 0.6 ms around a mean of 30 ms, 20 responses)',
    'Output speed varies ±10 % between identical requests (σ 4 tokens/s around a mean of 40 tokens/s, 20 responses)',
  ]);
  const mixed = varianceReading({ summary, config: { promptCount: 20, distinctPromptCount: 3 } }, fmt);
  assert.match(mixed[0], /^TTFT varies ±12 % between requests \(3 different prompts, so part of it is the prompts' own difference\)/);
  assert.equal(identicalRequests({ config: { promptCount: 1 } }), true);
  assert.equal(identicalRequests({ config: { promptCount: 4, distinctPromptCount: 2 } }), false);
  assert.equal(fmtCv(0.1234), '12.3 %');
  assert.equal(fmtCv(null), '–');
});

test('concurrency warning above 6 per origin; queueing from Resource Timing, null when hidden', () => {
  assert.equal(concurrencyWarning(6, 'http://127.0.0.1:1/v1'), null);
  assert.match(concurrencyWarning(7, 'http://127.0.0.1:1/v1'), /^concurrency 7 exceeds the 6 connections .* requests beyond 6 wait/);
  assert.match(concurrencyWarning(12, 'https://api.example.com/v1'), /unless the endpoint speaks HTTP\/2/);
  assert.equal(queueMsOf({ startTime: 100, requestStart: 0 }), null, 'cross-origin without Timing-Allow-Origin');
  assert.equal(queueMsOf({ startTime: 100, requestStart: 2900.5 }), 2800.5);
  assert.equal(queueMsOf(null), null);
});
