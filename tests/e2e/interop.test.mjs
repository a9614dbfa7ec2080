// Issue 3: our HdrHistogram exports (V2 + DEFLATE base64 "HISTF…", and .hlog) decode in other implementations
// — hdr-histogram-js (npm) and hdrhistogram (PyPI) — with the same count, min, max and percentiles within the
// histogram's precision. The aggregate is built by the real wasm module (loaded in Node) from real SSE streams.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
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

test('exports decode in hdr-histogram-js with the same count, min, max and percentiles', () => {
  for (const name of METRICS) {
    const s = summary.metrics[name];
    assert.ok(s.count > 0, `${name} has samples`);
    const b64 = agg.exportHistogram(name);
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

test('exports decode in Python hdrhistogram (PyPI) with the same count, min, max and percentiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-interop-'));
  const input = join(dir, 'in.json');
  writeFileSync(input, JSON.stringify(Object.fromEntries(METRICS.map((m) => [m, agg.exportHistogram(m)]))));
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

test('the .hlog interval log is read by hdr-histogram-js HistogramLogReader, one tagged histogram per metric', () => {
  const log = agg.toHlog(1_764_300_000);
  assert.match(log, /^#\[Histogram log format version 1\.3\]/m);
  const reader = new hdr.HistogramLogReader(log);
  const seen = {};
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) seen[h.tag] = h.totalCount;
  for (const name of METRICS) assert.equal(seen[name], summary.metrics[name].count, `${name} in .hlog`);
});

test('a histogram exported by hdr-histogram-js is rejected with a typed error, not a crash', () => {
  const h = hdr.build({ numberOfSignificantValueDigits: 3 });
  h.recordValue(1234);
  const b64 = hdr.encodeIntoCompressedBase64(h);
  const other = new core.Aggregate();
  // hdr-histogram-js writes normalizingIndexOffset = 1 and an integer ratio (browser.md §3), which the Rust
  // deserializer does not support; the result must be a RangeError, and the module must keep working.
  let err = null;
  try { other.importHistogram('ttft', b64); } catch (e) { err = e; }
  if (err) assert.ok(err instanceof RangeError, String(err));
  else assert.equal(other.summary().metrics.ttft.count, 1);
  assert.throws(() => other.importHistogram('ttft', 'HISTFnot-base64!'), RangeError);
  assert.throws(() => other.importHistogram('nope', agg.exportHistogram('ttft')), RangeError);
  other.importHistogram('ttft', agg.exportHistogram('ttft'));
  assert.equal(other.summary().metrics.ttft.count, summary.metrics.ttft.count);
});
