// Issue 3: our HdrHistogram exports (V2 + DEFLATE base64 "HISTF…", and .hlog; DEFLATE by the platform's
// CompressionStream, src/wasm/histf.js) decode in other implementations
// — hdr-histogram-js (npm) and hdrhistogram (PyPI) — with the same count, min, max and percentiles within the
// histogram's precision. The aggregate is built by the real wasm module (loaded in Node) from real SSE streams.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import { REPO } from './harness.mjs';
// The full build (exports and imports are full-only; www/pkg is the embedded build).
import init, * as core from '../../www/pkg-full/chat_vitals.js';

let agg;
let summary;
const METRICS = ['ttft', 'gaps', 'tpot', 'e2eStreamEnd'];

/** Deterministic PRNG (mulberry32) and a lognormal sample, so the data set is the same every run. */
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const lognormal = (r, median, sigma) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));

before(async () => {
  await init({ module_or_path: readFileSync(join(REPO, 'www/pkg-full/chat_vitals_bg.wasm')) });
  agg = new core.Aggregate();
  const r = rng(42);
  const enc = new TextEncoder();
  for (let i = 0; i < 300; i++) {
    const m = new core.Meter(0);
    m.headers(1, 200, [['content-type', 'text/event-stream']]);
    let t = lognormal(r, 400, 0.8);
    const n = 5 + Math.floor(r() * 40);
    for (let k = 0; k < n; k++) {
      m.chunk(t, enc.encode(`data: {"choices":[{"delta":{"content":"tok${k} "}}]}\n\n`));
      t += r() < 0.03 ? 300 + r() * 2000 : lognormal(r, 25, 0.6);
    }
    m.chunk(t, enc.encode('data: [DONE]\n\n'));
    m.end(t + 1, 'eof');
    agg.add(m);
    m.free();
  }
  summary = agg.summary();
});

/** Within the histogram's precision: 3 significant digits → relative 1e-3 (plus 1 µs for tiny values). */
function close(a, b, what) {
  assert.ok(Math.abs(a - b) <= Math.max(1, Math.abs(b) * 1e-3), `${what}: ${a} vs ${b}`);
}

test('exports decode in hdr-histogram-js with the same count, min, max and percentiles', async () => {
  const all = await agg.exportHistograms();
  for (const name of METRICS) {
    const s = summary.metrics[name];
    assert.ok(s.count > 0, `${name} has samples`);
    const b64 = await agg.exportHistogram(name);
    assert.equal(all[name], b64, `${name}: exportHistograms() has the same text`);
    assert.match(b64, /^HISTF/);
    const h = hdr.decodeFromCompressedBase64(b64);
    assert.equal(h.totalCount, s.count, `${name} count`);
    // Stored in µs; the summary is in ms.
    close(h.maxValue / 1000, s.max, `${name} max`);
    close(h.minNonZeroValue / 1000, s.min, `${name} min`);
    for (const [p, key] of [[50, 'p50'], [90, 'p90'], [99, 'p99'], [99.9, 'p99.9']]) {
      close(h.getValueAtPercentile(p) / 1000, s[key], `${name} ${key}`);
    }
  }
});

test('exports decode in Python hdrhistogram (PyPI) with the same count, min, max and percentiles', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-interop-'));
  const input = join(dir, 'in.json');
  writeFileSync(input, JSON.stringify(await agg.exportHistograms()));
  const py = `
import json, sys
from hdrh.histogram import HdrHistogram
out = {}
for name, b64 in json.load(open(sys.argv[1])).items():
    h = HdrHistogram.decode(b64)
    out[name] = {"count": h.get_total_count(), "min": h.get_min_value(), "max": h.get_max_value(),
                 "p50": h.get_value_at_percentile(50), "p90": h.get_value_at_percentile(90),
                 "p99": h.get_value_at_percentile(99), "p99.9": h.get_value_at_percentile(99.9)}
print(json.dumps(out))
`;
  const pythonPath = process.env.CHAT_VITALS_PYTHONPATH ?? join(REPO, '.tools', 'py');
  const res = JSON.parse(execFileSync('python3', ['-c', py, input], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pythonPath } }));
  rmSync(dir, { recursive: true });
  for (const name of METRICS) {
    const s = summary.metrics[name];
    const p = res[name];
    assert.equal(p.count, s.count, `${name} count`);
    close(p.max / 1000, s.max, `${name} max (python)`);
    close(p.min / 1000, s.min, `${name} min (python)`);
    for (const key of ['p50', 'p90', 'p99', 'p99.9']) close(p[key] / 1000, s[key], `${name} ${key} (python)`);
  }
});

test('the .hlog interval log is read by hdr-histogram-js HistogramLogReader, one tagged histogram per metric', async () => {
  const log = await agg.toHlog(1_764_300_000.5, 60);
  assert.match(log, /^#\[Histogram log format version 1\.3\]/m);
  assert.match(log, /^#\[StartTime: 1764300000\.500 \(seconds since epoch\)\]$/m);
  assert.match(log, /^Tag=ttft,0\.000,60\.000,\d+\.\d{3},HISTF/m);
  await assert.rejects(agg.toHlog(Number.NaN), RangeError);
  await assert.rejects(agg.toHlog(0, -1), RangeError);
  const reader = new hdr.HistogramLogReader(log);
  const seen = {};
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) seen[h.tag] = h.totalCount;
  for (const name of METRICS) assert.equal(seen[name], summary.metrics[name].count, `${name} in .hlog`);
});

test('a histogram exported by hdr-histogram-js is rejected with a typed error, not a crash', async () => {
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  h.recordValue(1234);
  const b64 = hdr.encodeIntoCompressedBase64(h);
  const other = new core.Aggregate();
  // hdr-histogram-js writes normalizingIndexOffset = 1 and an integer ratio (browser.md §3), which the Rust
  // deserializer does not support; the result must be a RangeError, and the module must keep working.
  let err = null;
  try { await other.importHistogram('ttft', b64); } catch (e) { err = e; }
  if (err) assert.ok(err instanceof RangeError, String(err));
  else assert.equal(other.summary().metrics.ttft.count, 1);
  await assert.rejects(other.importHistogram('ttft', 'HISTFnot-base64!'), RangeError);
  await assert.rejects(other.importHistogram('nope', await agg.exportHistogram('ttft')), RangeError);
  await assert.rejects(agg.exportHistogram('nope'), RangeError);
  await other.importHistogram('ttft', await agg.exportHistogram('ttft'));
  assert.equal(other.summary().metrics.ttft.count, summary.metrics.ttft.count);
});

test('HISTF texts from other implementations import (the HdrHistogramJS README sample: one value, 42)', async () => {
  const other = new core.Aggregate();
  await other.importHistogram('outputTokens', 'HISTFAAAAB542pNpmSzMwMDAxAABzFCaEUoz2X+AMIKZAEARAtM=');
  assert.equal(other.summary().metrics.outputTokens.max, 42);
});

test('a DEFLATE bomb and a corrupt zlib stream are refused before the core sees them, and change nothing', async () => {
  const other = new core.Aggregate();
  const wrap = (zlib) => {
    const b = Buffer.alloc(8 + zlib.length);
    b.writeUInt32BE(0x1c849314, 0); b.writeUInt32BE(zlib.length, 4); zlib.copy(b, 8);
    return b.toString('base64');
  };
  const bomb = deflateSync(Buffer.alloc(9 << 20)); // 9 MiB of zeros: ~9 KB compressed, above the 8 MiB cap
  await assert.rejects(other.importHistogram('ttft', wrap(bomb)), (e) => e instanceof RangeError && /larger than 8 MiB/.test(e.message));
  const good = Buffer.from(await agg.exportHistogram('ttft'), 'base64');
  const corrupt = Buffer.from(good.subarray(8)); corrupt[corrupt.length - 1] ^= 0xff; // breaks the Adler-32 check
  await assert.rejects(other.importHistogram('ttft', wrap(corrupt)), (e) => e instanceof RangeError && /zlib/.test(e.message));
  assert.equal(other.summary().metrics.ttft.count, 0);
});
