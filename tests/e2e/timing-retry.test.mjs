// The rerun rule of the timing checks (kit-helpers.mjs untilTimely): only a TimingMiss is rerun, at most
// TIMING_ATTEMPTS times in all, each miss clears the endpoint log and is printed; anything else fails at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untilTimely, assertTimely, TimingMiss, TIMING_ATTEMPTS } from './kit-helpers.mjs';

function fakes() {
  const said = [];
  let clears = 0;
  return { t: { diagnostic: (m) => said.push(m) }, server: { clear: async () => { clears++; } }, said, clears: () => clears };
}

test('a miss that passes on a later attempt: the test passes, each miss printed and the log cleared', async () => {
  const f = fakes();
  const got = await untilTimely(f.t, f.server, async (n) => { assertTimely(n === 2, `gap 7: attempt ${n} late`); return n; });
  assert.equal(got, 2);
  assert.deepEqual(f.said, ['timing attempt 1 missed, rerun: gap 7: attempt 1 late']);
  assert.equal(f.clears(), 1);
});

test('a miss on every attempt fails with every attempt\'s message', async () => {
  const f = fakes();
  let calls = 0;
  await assert.rejects(untilTimely(f.t, f.server, async (n) => { calls++; assertTimely(false, `late ${n}`); }),
    (e) => e instanceof TimingMiss && /\(1\) late 1; \(2\) late 2; \(3\) late 3$/.test(e.message));
  assert.equal(calls, TIMING_ATTEMPTS);
});

test('any other failed assertion is not rerun', async () => {
  const f = fakes();
  let calls = 0;
  await assert.rejects(untilTimely(f.t, f.server, async () => { calls++; assert.equal('interrupted', 'complete'); }),
    (e) => e instanceof assert.AssertionError && !(e instanceof TimingMiss));
  assert.equal(calls, 1);
  assert.equal(f.clears(), 0);
});
