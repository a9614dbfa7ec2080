// The paint queue of observe() (www/kit/paint-queue.js), without a browser: which paint time each record ends with
// (post-frame task, Long Animation Frame paintTime, Element Timing paintTime), that browser entries can never move a
// paint outside what is plausible for it, and that records are delivered in order, waiting at most waitMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPaintQueue, PAINT_SOURCES } from '../../www/kit/paint-queue.js';

const setup = (opts) => {
  const out = [];
  return { out, q: createPaintQueue((it) => out.push(it), opts) };
};
const el = (name) => ({ name });

test('a paint with nothing to wait for is delivered at once with the post-frame time, then its frame', () => {
  const { out, q } = setup();
  q.paint({ chars: 5, rafAt: 100, paintAt: 104 });
  q.frame(100);
  q.flush(false, 104);
  assert.deepEqual(out, [
    { kind: 'paint', chars: 5, at: 104, source: 'frame', presentedAt: null },
    { kind: 'frame', at: 100 },
  ]);
  assert.deepEqual(PAINT_SOURCES, ['element-timing', 'long-animation-frame', 'frame']);
});

test('Element Timing: the entry of a marked element times the paint; presentation time beside it', () => {
  const { out, q } = setup();
  const p = el('p');
  q.paint({ chars: 5, rafAt: 100, paintAt: 104, elements: [{ element: p, markedAt: 90 }] });
  q.frame(100);
  q.flush(false, 105);
  assert.equal(out.length, 0, 'waits for the entry, and the frame after it waits too (order)');
  q.elementTiming({ element: el('other'), paintTime: 101, presentationTime: 110 });
  q.flush(false, 106);
  assert.equal(out.length, 0, 'an unmarked element\'s entry changes nothing');
  q.elementTiming({ element: p, paintTime: 102.5, presentationTime: 111, renderTime: 111 });
  q.flush(false, 120);
  assert.deepEqual(out[0], { kind: 'paint', chars: 5, at: 102.5, source: 'element-timing', presentedAt: 111 });
  assert.deepEqual(out[1], { kind: 'frame', at: 100 });
});

test('Element Timing entries that cannot be this paint\'s are refused: before the mark, after the post-frame time', () => {
  const { out, q } = setup();
  const a = el('a');
  const b = el('b');
  q.paint({ chars: 3, rafAt: 100, paintAt: 104, elements: [{ element: a, markedAt: 99 }] });
  q.paint({ chars: 6, rafAt: 117, paintAt: 121, elements: [{ element: b, markedAt: 110 }] });
  q.elementTiming({ element: a, paintTime: 98, presentationTime: 99 }); // before the element was marked
  q.elementTiming({ element: b, paintTime: 140, presentationTime: 150 }); // a later paint of b
  q.flush(false, 130);
  assert.deepEqual(out.map((o) => [o.at, o.source]), [[104, 'frame'], [121, 'frame']]);
});

test('within the clock tolerance after the post-frame time the post-frame time stays (never later, never earlier)', () => {
  const { out, q } = setup({ clockToleranceMs: 1 });
  const a = el('a');
  q.paint({ chars: 3, rafAt: 100, paintAt: 104, elements: [{ element: a, markedAt: 99 }] });
  q.elementTiming({ element: a, paintTime: 104.6, presentationTime: 106 });
  q.flush(false, 110);
  assert.deepEqual(out[0], { kind: 'paint', chars: 3, at: 104, source: 'element-timing', presentedAt: 106 });
});

test('an entry with only renderTime (before Chrome 145) gives the presentation time, the frame keeps the paint', () => {
  const { out, q } = setup();
  const a = el('a');
  q.paint({ chars: 3, rafAt: 100, paintAt: 104, elements: [{ element: a, markedAt: 99 }] });
  q.elementTiming({ element: a, paintTime: 0, renderTime: 108 });
  q.flush(false, 110);
  assert.deepEqual(out[0], { kind: 'paint', chars: 3, at: 104, source: 'frame', presentedAt: 108 });
});

test('Long Animation Frame paintTime times a long frame\'s paint, never before its rAF; Element Timing wins', () => {
  const { out, q } = setup();
  q.paint({ chars: 3, rafAt: 100, paintAt: 190, waitLoaf: true });
  const x = el('x');
  q.paint({ chars: 9, rafAt: 300, paintAt: 390, waitLoaf: true, elements: [{ element: x, markedAt: 250 }] });
  q.paint({ chars: 12, rafAt: 500, paintAt: 590, waitLoaf: true });
  q.flush(false, 600);
  assert.equal(out.length, 0);
  q.longFrame({ startTime: 20, duration: 170, paintTime: 95, presentationTime: 180 }); // paintTime before rAF: clamped
  q.longFrame({ startTime: 220, duration: 170, paintTime: 380 });
  q.flush(false, 600);
  assert.deepEqual(out.map((o) => [o.at, o.source, o.presentedAt]), [[100, 'long-animation-frame', 180]]);
  q.flush(false, 600);
  assert.equal(out.length, 1, 'the second has its LoAF time but still waits for its element');
  q.elementTiming({ element: x, paintTime: 386, presentationTime: 395 });
  q.longFrame({ startTime: 420, duration: 100 }); // no paintTime (Chrome 123–144): nothing changes
  q.flush(true, 601);
  assert.deepEqual(out.slice(1).map((o) => [o.at, o.source, o.presentedAt]),
    [[386, 'element-timing', 395], [590, 'frame', null]]);
});

test('a record waits at most waitMs for its entries; later records keep their order behind it', () => {
  const { out, q } = setup({ waitMs: 1000 });
  q.paint({ chars: 3, rafAt: 100, paintAt: 104, elements: [{ element: el('a'), markedAt: 99 }] });
  q.paint({ chars: 7, rafAt: 117, paintAt: 121 });
  q.frame(117);
  q.flush(false, 1100);
  assert.equal(out.length, 0);
  q.flush(false, 1104);
  assert.deepEqual(out.map((o) => o.kind), ['paint', 'paint', 'frame']);
  assert.equal(out[0].at, 104);
});

test('an entry from an earlier frame of a waiting element (its typing indicator\'s text) is refused; the wait goes on for the others', () => {
  const { out, q } = setup();
  const bubble = el('bubble');
  const p = el('p');
  q.paint({ chars: 5, rafAt: 117, paintAt: 121, elements: [{ element: bubble, markedAt: 50 }, { element: p, markedAt: 110 }] });
  q.elementTiming({ element: bubble, paintTime: 103, presentationTime: 105 }); // the bubble's '…' painted a frame before
  q.flush(false, 130);
  assert.equal(out.length, 0, 'still waiting for the <p>');
  q.elementTiming({ element: p, paintTime: 119.5, presentationTime: 125 });
  q.flush(false, 131);
  assert.deepEqual(out[0], { kind: 'paint', chars: 5, at: 119.5, source: 'element-timing', presentedAt: 125 });
});
