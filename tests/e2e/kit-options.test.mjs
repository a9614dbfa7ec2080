// The kit's option plumbing and begin()'s parts (issues 13 and 11), in Node against the built wasm (www/pkg): every
// MeterOptions key reaches the core from begin() and wrapFetch(), a bad value is a typed diagnostic while the app
// sees nothing different, and a failed body read is its own end reason (issue 14 defect 1). The browser side of the
// same rules (a real connection reset, the injectable build, the Playwright helper) is in finish-outcomes.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../www/cli/runtime.mjs';
import * as kit from '../../www/kit/index.js';
import { METER_OPTION_KEYS, meterOptions, chunkBatcher, keptLongFrames, copyBytes, bodyFailure, reportExtras }
  from '../../www/kit/measure.js';

before(() => {
  assert.equal(kit.loadSync(readFileSync(join(REPO, 'www/pkg/chat_vitals_bg.wasm'))), true);
});

const sse = (o) => `data: ${JSON.stringify(o)}\n\n`;
const CHAT_LENGTH = sse({ choices: [{ delta: { content: 'Hello there' }, finish_reason: null }] })
  + sse({ choices: [{ delta: {}, finish_reason: 'length' }] })
  + sse({ choices: [], usage: { prompt_tokens: 1000, completion_tokens: 500 } }) + 'data: [DONE]\n\n';

function measure(options, body = CHAT_LENGTH, end = 'eof') {
  const h = kit.begin({ startMs: 0, session: new kit.Session(), ...options });
  h.headers(200, { 'content-type': 'text/event-stream' }, 50);
  h.chunk(body, 100);
  return h.end(end, 120);
}

test('every key of the core\'s MeterOptions type passes through begin()', () => {
  const ts = readFileSync(join(REPO, 'src/wasm/types.rs'), 'utf8');
  const block = ts.slice(ts.indexOf('export interface MeterOptions {'), ts.indexOf('export interface AggregateOptions'));
  const keys = [...block.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]);
  assert.ok(keys.length >= 11, `parsed ${keys}`);
  assert.deepEqual([...keys].sort(), [...METER_OPTION_KEYS].sort());
  const all = Object.fromEntries(METER_OPTION_KEYS.map((k) => [k, `value of ${k}`]));
  assert.deepEqual(meterOptions({ ...all, match: '/x', observe: '.m', session: {}, onReport() {}, label: 'l' }), all,
    'kit-only keys stay out, every MeterOptions key goes in');
});

test('cost, QoE, fluidity, ratings and formatSource options change the report', () => {
  const plain = measure({});
  assert.equal(plain.costUsd, null);
  assert.equal(plain.formatDetectedBy, 'first-bytes');
  const r = measure({
    format: 'openai-chat', formatSource: 'preset',
    cost: { inputUsdPerMtok: 2, outputUsdPerMtok: 8 },
    qoe: { ttftExpectedMs: 10 }, // partial: the reading speed keeps its default
    fluidity: { ttftDeadlineMs: 10 },
    ratings: { ttft: [50, 60] },
  });
  assert.equal(r.formatDetectedBy, 'preset');
  assert.ok(Math.abs(r.costUsd - 0.006) < 1e-12, `${r.costUsd}`);
  assert.ok(Math.abs(r.costPer1kOutputTokensUsd - 0.012) < 1e-12, `${r.costPer1kOutputTokensUsd}`);
  assert.ok(r.outputTokensPerSecondPerUsd > 0);
  assert.equal(r.finishReason, 'length');
  assert.equal(r.cutByLength, true);
  assert.equal(plain.ratings.ttft, 'good', 'TTFT 100 ms is good by default');
  assert.equal(r.ratings.ttft, 'poor', 'ratings override [50, 60] makes 100 ms poor');
  assert.ok(r.fluidityTotalDeadlines > 0);
  assert.ok(r.fluidityIndex < plain.fluidityIndex, `a 10 ms first-token deadline is missed: ${r.fluidityIndex} vs ${plain.fluidityIndex}`);
  assert.ok(r.qoe < plain.qoe, `expecting the first token at 10 ms lowers QoE: ${r.qoe} vs ${plain.qoe}`);
});

test('wrapFetch passes every MeterOptions key to each response, and the summary aggregates cost', async () => {
  // Budgets are full-build only (BENCHMARKS.md row 3): from here on the kit's core is the full build.
  assert.equal(await kit.loadFull(undefined, readFileSync(join(REPO, 'www/pkg-full/chat_vitals_bg.wasm'))), true);
  const session = new kit.Session();
  const fetchImpl = async () => new Response(CHAT_LENGTH, { headers: { 'content-type': 'text/event-stream' } });
  const f = kit.wrapFetch(fetchImpl, { session, cost: { inputUsdPerMtok: 2, outputUsdPerMtok: 8 }, ratings: { ttft: [0.001, 0.002] } });
  for (let i = 0; i < 3; i++) assert.equal(await (await f('/v1/chat/completions')).text(), CHAT_LENGTH);
  assert.equal(session.reports.length, 3);
  for (const r of session.reports) {
    assert.ok(r.costUsd > 0);
    assert.equal(r.ratings.ttft, 'poor');
  }
  const s = session.summary();
  assert.equal(s.metrics.costUsd.count, 3);
  assert.equal(s.metrics.costPer1kOutputTokens.count, 3);
  assert.deepEqual(s.finishReasons, { length: 3 });
  assert.equal(s.metrics.cutByLength.mean, 1);
  assert.equal(session.aggregate.checkBudget({ 'costUsd.p95': 0.001 }).pass, false);
  assert.equal(session.aggregate.checkBudget({ 'costUsd.p95': 0.01, 'cutByLength.mean': 1 }).pass, true);
});

test('a bad option value is a typed diagnostic; the app gets the same response and nothing throws', async () => {
  kit.diagnostics.length = 0;
  const session = new kit.Session();
  const cases = [
    [{ cost: { inputUsdPerMtok: -1, outputUsdPerMtok: 1 } }, /invalid option cost/],
    [{ qoe: { readingTokensPerS: 0 } }, /qoe\.readingTokensPerS/],
    [{ ratings: { ttfx: [1, 2] } }, /ratings\.ttfx/],
    [{ fluidity: { ttftDeadlineMs: 'soon' } }, /invalid options/],
    [{ formatSource: 'guess' }, /invalid options/],
  ];
  for (const [bad, message] of cases) {
    kit.diagnostics.length = 0;
    const f = kit.wrapFetch(async () => new Response(CHAT_LENGTH, { headers: { 'content-type': 'text/event-stream' } }),
      { session, ...bad });
    const res = await f('/v1/chat/completions');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), CHAT_LENGTH, 'the app reads the same bytes');
    assert.equal(kit.diagnostics.length, 1, JSON.stringify(kit.diagnostics));
    assert.equal(kit.diagnostics[0].code, 'invalid-option');
    assert.match(kit.diagnostics[0].message, message);
    assert.equal(kit.begin({ ...bad }).live, false, 'begin() gives the no-op handle');
  }
  assert.equal(session.reports.length, 0, 'no report rather than a wrong one');
});

/** A body that delivers `parts`, then fails the next read with `error` (as Chromium does for a reset). */
function failingBody(parts, error) {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < parts.length) c.enqueue(enc.encode(parts[i++]));
      else c.error(error);
    },
  }, { highWaterMark: 0 });
}

test('a failed body read is interrupted — after [DONE], and for a cut-off plain-text body — while the app gets the same error', async () => {
  const cases = [
    ['text/event-stream', [sse({ choices: [{ delta: { content: 'Hel' } }] }), 'data: [DONE]\n\n']],
    ['text/event-stream', [sse({ choices: [{ delta: { content: 'Hel' }, finish_reason: 'stop' }] }), 'data: [DONE]\n\n']],
    ['text/plain', ['Once upon a ti']],
  ];
  for (const [type, parts] of cases) {
    const session = new kit.Session();
    const error = new TypeError('network error');
    const f = kit.wrapFetch(async () => new Response(failingBody(parts, error), { headers: { 'content-type': type } }), { session });
    const res = await f('/x');
    await assert.rejects(res.text(), (e) => e === error, 'the app gets the network error itself');
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(session.reports.length, 1);
    assert.equal(session.reports[0].outcome, 'interrupted', `${type} ${parts}`);
  }
  assert.equal(bodyFailure(new TypeError('network error')), 'read-error');
  assert.equal(bodyFailure(new DOMException('x', 'AbortError')), 'aborted');
  const aborted = new AbortController();
  aborted.abort();
  assert.equal(bodyFailure(new TypeError('x'), aborted.signal), 'aborted', 'the client\'s signal decides');
});

test('a client abort after a finished stream is complete; after [DONE] without a finish reason it is aborted', async () => {
  const outcomes = [];
  for (const finish of ['stop', null]) {
    const session = new kit.Session();
    const body = sse({ choices: [{ delta: { content: 'Hi' }, finish_reason: finish }] }) + 'data: [DONE]\n\n';
    const enc = new TextEncoder();
    let sent = false;
    const stalled = new ReadableStream({ // the answer, then a connection that stays open
      pull(c) { if (sent) return new Promise(() => {}); sent = true; c.enqueue(enc.encode(body)); return undefined; },
    }, { highWaterMark: 0 });
    const f = kit.wrapFetch(async () => new Response(stalled, { headers: { 'content-type': 'text/event-stream' } }), { session });
    const res = await f('/x');
    const reader = res.body.getReader();
    await reader.read(); // the whole answer
    await reader.cancel(); // as an SDK does after [DONE]
    outcomes.push(session.reports[0]?.outcome);
  }
  assert.deepEqual(outcomes, ['complete', 'aborted']);
});

// ---- begin()'s parts ------------------------------------------------------------------------------------------

test('chunkBatcher decodes in arrival order on flush, at the caps, or after its timer, and survives a bad decode', async () => {
  const seen = [];
  const b = chunkBatcher((at, bytes) => { if (at === 2) throw new Error('bad chunk'); seen.push([at, bytes.length]); });
  b.push(1, new Uint8Array(3));
  b.push(2, new Uint8Array(1));
  b.push(3, new Uint8Array(2));
  assert.deepEqual(seen, [], 'nothing decoded before a flush');
  assert.equal(b.size, 3);
  kit.diagnostics.length = 0;
  b.flush();
  assert.deepEqual(seen, [[1, 3], [3, 2]], 'order kept; the failing one is skipped, the rest decoded');
  assert.equal(kit.diagnostics[0].where, 'chunk');
  for (let i = 0; i < 64; i++) b.push(10 + i, new Uint8Array(1));
  assert.equal(b.size, 0, '64 pending chunks flush at once');
  b.push(100, new Uint8Array(64 * 1024));
  assert.equal(b.size, 0, '64 KiB pending flushes at once');
  b.push(101, new Uint8Array(1));
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(seen.at(-1)[0], 101, 'the timer flushed the last one');
  let live = false;
  const dead = chunkBatcher(() => seen.push('late'), () => live);
  dead.push(1, new Uint8Array(1));
  await new Promise((r) => setTimeout(r, 40));
  assert.notEqual(seen.at(-1), 'late', 'an ended handle is not flushed by the timer');
  dead.push(2, new Uint8Array(1));
  dead.clear();
  live = true;
  dead.flush();
  assert.notEqual(seen.at(-1), 'late', 'clear() drops pending chunks');
});

test('copyBytes copies only a view\'s own bytes, and strings as UTF-8', () => {
  const buf = new Uint8Array([1, 2, 3, 4, 5]);
  const view = new DataView(buf.buffer, 1, 3);
  const copy = copyBytes(view);
  buf[2] = 99;
  assert.deepEqual([...copy], [2, 3, 4]);
  assert.deepEqual([...copyBytes('é')], [0xc3, 0xa9]);
  assert.deepEqual([...copyBytes(new Uint8Array([7]).buffer)], [7]);
});

test('keptLongFrames keeps the longest overlapping frames of at least 50 ms, capped', () => {
  const k = keptLongFrames(1000, 2);
  k.offer({ startTime: 100, duration: 200 }); // ended before the response started
  k.offer({ startTime: 1000, duration: 49 });
  k.offer({ startTime: 1100, duration: 60, blockingDuration: 10 });
  k.offer({ startTime: 1200, duration: 90 });
  k.offer({ startTime: 1300, duration: 70 });
  assert.deepEqual(k.list.map((f) => f.durationMs), [90, 70]);
  assert.deepEqual(reportExtras('id1', 1000, { label: 'x' }, k.list).longFrames.map((f) => f.startMs), [200, 300],
    'reported relative to the request start');
});
