// The kit's load-time warm-up (www/kit/warm.js) really runs each wire format's decoding path: every synthetic
// response is decoded as the format it claims, with its answer text, so the lazily compiled functions the first real
// response needs are compiled at load() (BENCHMARKS.md row 8 measures the effect on a fresh page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './harness.mjs';

const core = await import(join(REPO, 'www', 'pkg', 'chat_vitals.js'));
await core.default({ module_or_path: readFileSync(join(REPO, 'www', 'pkg', 'chat_vitals_bg.wasm')) });
const { warmUp, runOne, STREAMS } = await import(join(REPO, 'www', 'kit', 'warm.js'));

test('every synthetic stream decodes as its format, with answer text and its end', () => {
  const agg = new core.Aggregate();
  const formats = [];
  for (const stream of STREAMS) {
    const r = runOne(core, agg, stream);
    const expected = stream[0] ?? 'openai-chat';
    formats.push(r.format);
    assert.equal(r.format, expected, `detected ${r.formatDetectedBy}`);
    assert.ok(r.contentChars > 0, `${expected}: answer text decoded`);
    assert.equal(r.parseErrors, 0, `${expected}: no parse errors`);
    assert.equal(r.outcome, 'complete', `${expected}: ended complete`);
  }
  assert.equal(agg.summary().responses, STREAMS.length);
  agg.free();
  assert.deepEqual([...new Set(formats)].sort(), ['ai-sdk-data', 'ai-sdk-ui', 'anthropic', 'ollama', 'openai-chat', 'openai-responses', 'text']);
});

test('warmUp resolves with its duration and reports no error', async () => {
  const errors = [];
  const ms = await warmUp(core, (e) => errors.push(e));
  assert.deepEqual(errors, []);
  assert.ok(Number.isFinite(ms) && ms >= 0, `took ${ms} ms`);
});
