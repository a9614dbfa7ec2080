// The wasm builds as the kit sees them, in node (no browser): the kit's threshold constants exist before load()
// and equal the core's table, and a session builds each report once (Aggregate.addAndReport).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../www/cli/runtime.mjs';

const kitUrl = new URL('../../www/kit/', import.meta.url);

test('threshold constants are defined before load() and equal the core table', async () => {
  const vitals = await import(new URL('vitals.js', kitUrl));
  const core = await import(new URL('core.js', kitUrl));
  assert.equal(core.isLoaded(), false, 'nothing loaded the wasm yet');
  const consts = { ttft: vitals.TTFTThresholds, perceivedTtft: vitals.PerceivedTTFTThresholds,
    fluidity: vitals.SmoothnessThresholds };
  for (const [name, c] of Object.entries(consts)) {
    assert.equal(c.length, 2, `${name} has [good, poor] before load()`);
    assert.ok(Object.isFrozen(c), `${name} is a constant`);
  }
  // The table itself is in the full build only (the embedded one ships these constants instead).
  const full = await import(new URL('../../www/pkg-full/chat_vitals.js', import.meta.url));
  full.initSync({ module: readFileSync(join(REPO, 'www/pkg-full/chat_vitals_bg.wasm')) });
  assert.ok(core.loadSync(readFileSync(join(REPO, 'www/pkg/chat_vitals_bg.wasm'))), 'wasm loads');
  assert.equal(core.core.thresholds, undefined, 'the embedded build leaves the table out');
  const table = full.thresholds();
  for (const [name, c] of Object.entries(consts)) {
    assert.deepEqual([...c], [table[name].good, table[name].poor], `${name} matches src/rating.rs`);
  }
});

test('a session report is the meter report, added to the aggregate once', async () => {
  const core = await import(new URL('core.js', kitUrl));
  const { Session } = await import(new URL('session.js', kitUrl));
  assert.ok(core.loadSync(readFileSync(join(REPO, 'www/pkg/chat_vitals_bg.wasm'))));
  const s = new Session();
  const feed = () => {
    const m = new core.core.Meter(0, undefined);
    m.headers(50, 200, [['content-type', 'text/event-stream']]);
    m.chunk(120, new TextEncoder().encode('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n'));
    m.end(130, 'eof');
    return m;
  };
  const expected = feed().report();
  const got = s._finish(feed(), false, { id: 'r1' });
  assert.deepEqual(got, { ...expected, id: 'r1' });
  assert.equal(s.summary().metrics.ttft.count, 1);
  assert.ok(Math.abs(s.summary().metrics.ttft.p50 - 120) <= 0.12, 'p50 = the TTFT at 3 significant digits');
  s._finish(feed(), true, {});
  assert.equal(s.summary().metrics.ttft.count, 1, 'a warm-up report is not aggregated');
  assert.equal(s.summary().warmupSkipped, 1);
});

// ---- Same results: the embedded build (www/pkg) and the full build (www/pkg-full) on the same streams ----

async function bothBuilds() {
  const builds = {};
  for (const [name, dir] of [['embedded', 'www/pkg'], ['full', 'www/pkg-full']]) {
    const m = await import(new URL(`../../${dir}/chat_vitals.js`, import.meta.url));
    m.initSync({ module: readFileSync(join(REPO, dir, 'chat_vitals_bg.wasm')) });
    builds[name] = m;
  }
  assert.equal(builds.embedded.full(), false, 'www/pkg is the embedded build');
  assert.equal(builds.full.full(), true, 'www/pkg-full is the full build');
  assert.equal(typeof builds.embedded.Aggregate.prototype.exportHistogram, 'undefined', 'embedded has no exports');
  return builds;
}

/** Replays one recorded response ({headers, status, chunks: [[atMs, bytes]], ...}) into a build; the report. */
function replay(core, agg, rec, options) {
  const m = new core.Meter(0, options);
  try {
    m.markSend(0);
    m.headers(rec.headersAtMs, rec.status, rec.headers);
    let visible = 0;
    for (const [atMs, bytes] of rec.chunks) {
      m.chunk(atMs, bytes);
      visible += bytes.length;
      m.paint(atMs + 3, visible);
      m.frame(atMs + 1);
    }
    m.end(rec.endAtMs, 'eof');
    return agg.addAndReport(m, false);
  } finally { m.free(); }
}

const SIM_PATHS = ['/v1/chat/completions', '/v1/responses', '/v1/messages', '/api/chat', '/api/generate',
  '/api/ai-sdk/chat', '/api/ai-sdk/data', '/api/text'];
const SIM_PROFILES = ['scripted', 'steady', 'bursty', 'stalls', 'slow-start', 'heavy-tail', 'realistic'];

async function record(url) {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stream: true, max_tokens: 24, messages: [{ role: 'user', content: 'hi' }] }) });
  const rec = { status: res.status, headers: [...res.headers.entries()], headersAtMs: performance.now() - t0, chunks: [] };
  for await (const c of res.body) rec.chunks.push([performance.now() - t0, new Uint8Array(c)]);
  rec.endAtMs = performance.now() - t0;
  return rec;
}

test('the embedded and the full build give identical reports and summaries for the same streams', { timeout: 120_000 }, async () => {
  const { startServer } = await import('../../www/cli/runtime.mjs');
  const { STREAMS, runOne } = await import(new URL('warm.js', kitUrl));
  const builds = await bothBuilds();
  const aggs = { embedded: new builds.embedded.Aggregate(undefined), full: new builds.full.Aggregate(undefined) };
  // The kit's synthetic per-format fixtures (www/kit/warm.js), then every sim wire format × timing profile.
  for (const s of STREAMS) assert.deepEqual(runOne(builds.embedded, aggs.embedded, s), runOne(builds.full, aggs.full, s));
  const server = await startServer({ profile: 'scripted' });
  let compared = 0;
  try {
    // Recorded all at once (the endpoint serves each connection on its own thread; the timing profiles' stalls made
    // recording them one by one take ~50 s), then replayed one by one into both builds.
    const cases = SIM_PROFILES.flatMap((profile) => SIM_PATHS.map((path) => ({ profile, path })));
    const recs = await Promise.all(cases.map(({ profile, path }, seed) => record(`${server.api}/p/${profile},tokens=12,seed=${seed}${path}`)));
    for (const [i, { profile, path }] of cases.entries()) {
      const rec = recs[i];
      const options = { timelineCap: 64, stallThresholdMs: 200, cost: { inputUsdPerMtok: 1, outputUsdPerMtok: 4 } };
      const a = replay(builds.embedded, aggs.embedded, rec, options);
      const b = replay(builds.full, aggs.full, rec, options);
      assert.equal(a.outcome, 'complete', `${profile} ${path}: ${a.outcome}`);
      assert.ok(a.ttftMs > 0, `${profile} ${path} has a TTFT`);
      assert.deepEqual(a, b, `${profile} ${path}`);
      compared++;
    }
  } finally { server.stop(); }
  assert.equal(compared, SIM_PROFILES.length * SIM_PATHS.length);
  assert.deepEqual(aggs.embedded.summary(), aggs.full.summary());
  assert.equal(aggs.full.summary().responses, compared + STREAMS.length);
});

test('options are read the same way by both builds, and bad ones are errors naming the option', async () => {
  const builds = await bothBuilds();
  for (const core of Object.values(builds)) {
    const m = new core.Meter(0, { format: 'anthropic', firstTokenRule: 'first-choices', stallThresholdMs: 500,
      captureText: true, timelineCap: 2, ratings: { ttft: [1, 2] }, qoe: { readingTokensPerS: 9 } });
    const r = m.report();
    assert.equal(r.format, 'anthropic');
    assert.equal(r.formatDetectedBy, 'override');
    assert.equal(r.firstTokenRule, 'first-choices');
    assert.equal(r.stallThresholdMs, 500);
    m.free();
    for (const [bad, name] of [[{ stallThresholdMs: 'x' }, 'stallThresholdMs'], [{ stallThresholdMs: -5 }, 'stallThresholdMs -5'],
      [{ timelineCap: 1.5 }, 'timelineCap'], [{ format: 'carrier-pigeon' }, 'carrier-pigeon'], [{ ratings: { ttft: 3 } }, 'ratings.ttft']]) {
      assert.throws(() => new core.Meter(0, bad), (e) => e instanceof Error && e.message.includes(name), JSON.stringify(bad));
    }
  }
});

test('the full build reads budgets and counts from JS (no serde_json): objects and JSON text alike, bad input named', async () => {
  const { full } = await bothBuilds();
  const agg = new full.Aggregate({});
  const m = new full.Meter(0, undefined);
  m.headers(40, 200, [['content-type', 'text/event-stream']]);
  m.chunk(100, new TextEncoder().encode('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n'));
  m.end(110, 'eof');
  agg.add(m, false);
  const budget = { 'ttft.p95': 50, 'ttft.count': 1, 'tpot.p50': 1000 };
  const fromObject = agg.checkBudget(budget);
  assert.deepEqual(agg.checkBudget(JSON.stringify(budget)), fromObject, 'JSON text reads as the object does');
  assert.equal(fromObject.pass, false);
  assert.equal(fromObject.checked, 3);
  assert.deepEqual(fromObject.violations.map((v) => v.key), ['tpot.p50', 'ttft.p95'], 'violations in key order');
  assert.equal(fromObject.violations[0].actual, null, 'a metric without data: actual null');
  assert.ok(fromObject.violations[1].actual >= 99 && fromObject.violations[1].actual <= 101);
  for (const [bad, message] of [['{"ttft.p95": ', /budget is not valid JSON/], [[1, 2], /must be a JSON object/],
    ['null', /must be a JSON object/], [{ 'ttft.p95': 'fast' }, /"ttft\.p95" has a limit that is not a finite number/],
    [{ 'warp.p95': 1 }, /"warp\.p95" names no known metric/], [{ 'ttft.p101': 1 }, /"ttft\.p101" names no known stat/]]) {
    assert.throws(() => agg.checkBudget(bad), (e) => e instanceof Error && message.test(e.message), JSON.stringify(bad));
  }
  const copy = new full.Aggregate({});
  copy.importCounts(agg.summary());
  assert.equal(copy.summary().responses, 1);
  assert.deepEqual(copy.summary().outcomes, agg.summary().outcomes);
  assert.throws(() => copy.importCounts({ responses: -1 }), /responses must be a whole number/);
  assert.throws(() => copy.importCounts({ metrics: { warp: { outOfRange: 1 } } }), RangeError);
  assert.equal(copy.summary().responses, 1, 'a refused import changes nothing');
  assert.deepEqual(Object.keys(await agg.exportHistograms()).length, Object.keys(agg.summary().metrics).length);
  assert.ok(agg.spectrum('ttft').length > 0 && agg.logBins('ttft', 4).length > 0);
});

test('the embedded build stays the small one (BENCHMARKS.md row 3)', async () => {
  const { brotliCompressSync, constants: Z } = await import('node:zlib');
  const br = (dir) => brotliCompressSync(readFileSync(join(REPO, dir, 'chat_vitals_bg.wasm')),
    { params: { [Z.BROTLI_PARAM_QUALITY]: 11, [Z.BROTLI_PARAM_LGWIN]: 24 } }).length;
  const embedded = br('www/pkg');
  const full = br('www/pkg-full');
  // 44,958 B measured at 2026-12-02 03:15 UTC (std rebuilt by the pinned nightly, panics as bare traps, no
  // core::fmt; node zlib at these settings agrees with brotli -q 11 within a few bytes); the ceiling leaves ~5 % for
  // growth. A change that links serde_json, DEFLATE, float formatting, str pattern searchers, BTreeMap or panic
  // messages into the embedded build again adds 2–60 KB and fails here: keep it in the full build. `format!` (its
  // machinery is 0.7 KB, src/message.rs) would fit under the ceiling: messages are built with message::concat.
  assert.ok(embedded <= 47_300, `embedded wasm ${embedded} B brotli (ceiling 47,300 B)`);
  assert.ok(embedded < 0.6 * full, `embedded ${embedded} B is well below the full build's ${full} B`);
});
