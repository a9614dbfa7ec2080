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
  assert.ok(core.loadSync(readFileSync(join(REPO, 'www/pkg/chat_vitals_bg.wasm'))), 'wasm loads');
  const table = core.core.thresholds();
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
