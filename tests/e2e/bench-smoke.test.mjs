// The benchmark command keeps working: `node bench/run.mjs --smoke` runs all nine rows tiny and every row yields
// finite numbers. Not a timed test: no speed thresholds here (the full run's numbers live in BENCHMARKS.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './harness.mjs';

test('bench --smoke prints nine rows with peers and finite figures', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cv-bench-'));
  try {
    const json = join(dir, 'bench.json');
    const r = spawnSync(process.execPath, [join(REPO, 'bench', 'run.mjs'), '--smoke', '--json', json],
      { encoding: 'utf8', timeout: 230_000 });
    assert.equal(r.status, 0, `bench exited ${r.status}: ${r.stderr}\n${r.stdout}`);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) assert.match(r.stdout, new RegExp(`^${n}(\\. | \\()`, 'm'), `row ${n} printed`);
    assert.match(r.stdout, /smoke: every row produced numbers/);
    const res = JSON.parse(readFileSync(json, 'utf8'));
    const positive = (x, what) => assert.ok(Number.isFinite(x) && x > 0, `${what} = ${x}`);
    positive(res.rows[1].peerWasm, 'row 1 peer wasm ns');
    positive(res.rows[1].oursAll, 'row 1 ours ns');
    // Same values in both histograms: the medians agree within HdrHistogram's 3 significant digits.
    const { peerP50Us, oursP50Us } = res.rows[1].check;
    assert.ok(Math.abs(peerP50Us - oursP50Us) <= peerP50Us * 1e-3 + 1, `p50 ${peerP50Us} vs ${oursP50Us}`);
    for (const x of res.rows[2].rows) {
      positive(x.oursMBps, `row 2 ours MB/s @${x.size}`);
      positive(x.peerMBps, `row 2 peer MB/s @${x.size}`);
      assert.equal(x.oursChars, x.expectedChars, 'ours extracts every content char');
      assert.equal(x.peerChars, x.expectedChars, 'the peer extracts every content char');
    }
    positive(res.rows['1full'].oursAll, 'row 1 ours ns, full build');
    positive(res.rows['2full'].rows[0].oursMBps, 'row 2 ours MB/s, full build');
    positive(res.rows[3].total.brotli, 'row 3 brotli bytes');
    positive(res.rows[3].fullTotal.brotli, 'row 3 full build brotli bytes');
    positive(res.rows[3].appTotal.brotli, 'row 3 app (named imports, tree-shaken) brotli bytes');
    assert.ok(res.rows[3].appTotal.brotli <= res.rows[3].total.brotli, 'tree-shaking never adds bytes');
    positive(res.rows[3].peerHdr.brotli, 'row 3 peer brotli bytes');
    for (const shape of ['paragraphs', 'onePara']) {
      positive(res.rows[4].shapes[shape].wallMs, `row 4 wall ms (${shape})`);
      positive(res.rows[4].shapes[shape].kitSelfMs, `row 4 kit's wasm ms (${shape})`);
    }
    assert.equal(res.rows[5].length, 6, 'row 5 has three sizes, with and without the timeline');
    for (const x of res.rows[6].rows) assert.ok(Number.isFinite(x.ttftP95) && Number.isFinite(x.gapP95), `row 6 n=${x.n}`);
    positive(res.rows[7].heapBig, 'row 7 heap');
    for (const mode of ['bare', 'fetch', 'observe']) {
      const x = res.rows[8].modes[mode];
      assert.equal(x.unmatched, 0, `row 8 ${mode}: every stamp list covers the sim's log`);
      for (const k of ['first', 'second']) assert.ok(Number.isFinite(x[k].early.p50), `row 8 ${mode} ${k} response`);
    }
    positive(res.rows[8].modes.fetch.loadMs.p50, 'row 8 load() ms');
    assert.deepEqual(res.rows[9].lines.map((x) => `${x.shape} ${x.source}`), ['append frame', 'append element-timing',
      'scheduler frame', 'scheduler element-timing', 'react frame', 'react element-timing'], 'row 9: three shapes, two sources');
    for (const x of res.rows[9].lines) {
      assert.equal(x.n, res.rows[9].responses, `row 9 ${x.shape} ${x.source}: every response has the browser's reference`);
      assert.ok(Number.isFinite(x.p50), `row 9 ${x.shape} ${x.source} p50`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
