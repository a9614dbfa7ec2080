// Issue 12: perceived TTFT is never a frame early. The kit's first-paint time against the browser's own Element
// Timing `paintTime` for the same text (an independent reference: the page reads the `text-paint` entry of the
// answer's <p>), over many responses in three page shapes:
//   scheduler  text committed from a MessageChannel task posted from the app's rAF callback: it runs after the
//              frame's paint and before the kit's post-frame task (what React's scheduler does). Before the fix the
//              kit credited that text to the frame that had just painted without it: 40 of 40 responses one frame
//              early (−6 … −25 ms, median −16.6), `node /tmp/acc.mjs` of the session log in docs/METRICS.md;
//   append     each read's text appended as it arrives;
//   react      React 19 + react-markdown, `wrapFetch(fetch, {observe})`, plain setState from the read loop.
// Bounds: "early" = kit more than 1 ms before the browser's paintTime (the two clocks are coarsened separately:
// 100 µs, or 5 µs cross-origin isolated). The fallback (elementTiming: false) may be late by the tasks queued before
// its post-frame task, or one frame for text added by a later rAF callback: at most one frame (the page's measured
// frame interval). With Element Timing the kit takes the browser's paintTime: p95 |error| ≤ 2 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const RESPONSES = 50;
const EARLY_MS = 1;
const ET_P95_MS = 2;
const SIM = { ttft_ms: 40, gaps_ms: [15, 25, 10, 20, 20], tokens: 6 };

let server;
let browser;
let frameMs;
useBrowser({ profile: 'scripted' }, async (env) => {
  ({ server, browser } = env);
});

async function open(name, api) {
  const { page } = browser;
  await page.goto(`${server.page}test-pages/${name}.html`);
  assert.equal(await page.evaluate((a) => window[a].ready, api), true, 'wasm loaded');
  assert.equal(await page.evaluate((a) => window[a].elementTiming, api), true, 'Chromium reports Element Timing (the reference)');
  frameMs ??= await page.evaluate(() => new Promise((resolve) => {
    const ts = [];
    const f = (t) => { ts.push(t); if (ts.length < 31) requestAnimationFrame(f); else resolve(ts.slice(1).map((x, i) => x - ts[i]).sort((a, b) => a - b)[15]); };
    requestAnimationFrame(f);
  }));
  assert.ok(frameMs > 4 && frameMs < 40, `frame interval ${frameMs} ms is plausible`);
  return page;
}
const run = (page, api, scenario, n = RESPONSES) => page.evaluate(([a, s, k]) => window[a].run(s, k), [api, { sim: SIM, ...scenario }, n]);

const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
function stats(rs) {
  const errs = rs.map((r) => r.errorMs);
  return { errs, early: errs.filter((e) => e < -EARLY_MS), p50: q(errs, 0.5), p95: q(errs.map(Math.abs), 0.95), max: Math.max(...errs), min: Math.min(...errs) };
}
const describe = (s) => `min ${s.min.toFixed(2)} p50 ${s.p50.toFixed(2)} p95|e| ${s.p95.toFixed(2)} max ${s.max.toFixed(2)} ms`;

function assertMeasured(rs, what) {
  assert.equal(rs.length, RESPONSES);
  for (const [i, r] of rs.entries()) {
    assert.ok(r.etPaintMs !== null, `${what} #${i}: the browser reported the answer's first paint (reference)`);
    assert.ok(r.kitPaintMs !== null, `${what} #${i}: the kit timed a first paint`);
    assert.equal(r.chars, r.contentChars, `${what} #${i}: the whole answer was shown and measured`);
  }
}

function assertFallback(rs, what) {
  assertMeasured(rs, what);
  const s = stats(rs);
  assert.deepEqual(s.early.map((e) => e.toFixed(2)), [], `${what}: never earlier than the browser's paintTime by > ${EARLY_MS} ms (${describe(s)})`);
  const worst = rs.reduce((a, b) => (b.errorMs > a.errorMs ? b : a));
  assert.ok(s.max <= frameMs, `${what}: at most one frame (${frameMs.toFixed(1)} ms) late (${describe(s)}; worst ${JSON.stringify(worst)})`);
  for (const r of rs) assert.ok(['frame', 'long-animation-frame'].includes(r.paintSource), `${what}: source ${r.paintSource}`);
  return s;
}

function assertElementTiming(rs, what) {
  assertMeasured(rs, what);
  const s = stats(rs);
  assert.deepEqual(s.early.map((e) => e.toFixed(2)), [], `${what}: 0 early (${describe(s)})`);
  assert.ok(s.p95 <= ET_P95_MS, `${what}: p95 |error| ${s.p95.toFixed(2)} ≤ ${ET_P95_MS} ms (${describe(s)})`);
  const timed = rs.filter((r) => r.paintSource === 'element-timing');
  // An entry that arrives after the response ended leaves the post-frame time (never early, checked above).
  assert.ok(timed.length >= 0.9 * rs.length, `${what}: ${timed.length}/${rs.length} first paints timed by Element Timing`);
  for (const r of timed) {
    assert.ok(Math.abs(r.errorMs) < 0.01, `${what}: an Element Timing paint is the browser's paintTime (${r.errorMs})`);
    assert.ok(r.presentedMs !== null && Math.abs(r.presentedMs - r.etPresentationMs) < 0.01,
      `${what}: the presentation time beside it (${r.presentedMs} vs ${r.etPresentationMs})`);
    assert.ok(r.presentedMs >= r.kitPaintMs, 'presented after painted');
  }
  return s;
}

test('scheduler commits (MessageChannel task between paint and the kit\'s post-frame task), elementTiming: false: never early, at most one frame late', async () => {
  const page = await open('scheduler', 'schedulerTest');
  const rs = await run(page, 'schedulerTest', { shape: 'scheduler', pageMarks: true, elementTiming: false });
  const s = assertFallback(rs, 'scheduler/frame');
  for (const r of rs) assert.equal(r.marks.bubble, null, 'elementTiming: false sets no attribute');
  console.log(`# scheduler, fallback: ${describe(s)}`);
});

test('plain appends, elementTiming: false: never early, at most one frame late', async () => {
  const page = await open('scheduler', 'schedulerTest');
  const s = assertFallback(await run(page, 'schedulerTest', { shape: 'append', pageMarks: true, elementTiming: false }), 'append/frame');
  console.log(`# append, fallback: ${describe(s)}`);
});

test('scheduler commits with Element Timing: the kit marks the new elements and takes the browser\'s paintTime', async () => {
  const page = await open('scheduler', 'schedulerTest');
  const rs = await run(page, 'schedulerTest', { shape: 'scheduler' });
  const s = assertElementTiming(rs, 'scheduler/element-timing');
  for (const r of rs) assert.deepEqual(r.marks, { bubble: 'chat-vitals', p: 'chat-vitals' }, 'the kit\'s only DOM change: elementtiming');
  // An app's own elementtiming value is kept (and its entries used).
  const own = await run(page, 'schedulerTest', { shape: 'scheduler', pageMarks: true }, 5);
  for (const r of own) {
    assert.ok(/^answer-\d+$/.test(r.marks.p), `the app's attribute is not replaced (${r.marks.p})`);
    assert.ok(r.errorMs >= -EARLY_MS);
  }
  console.log(`# scheduler, element timing: ${describe(s)}`);
});

test('a typing indicator painted a frame before the answer, in the same marked bubble: its Element Timing entry never times the answer', async () => {
  const page = await open('scheduler', 'schedulerTest');
  const rs = await run(page, 'schedulerTest', { shape: 'scheduler', typing: true });
  const s = assertElementTiming(rs, 'scheduler+typing/element-timing');
  console.log(`# scheduler + typing indicator, element timing: ${describe(s)}`);
});

test('React 19 + react-markdown via wrapFetch: 50 responses, 0 early, p95 |error| ≤ 2 ms against Element Timing', async () => {
  const page = await open('react-chat', 'reactChat');
  const s = assertElementTiming(await run(page, 'reactChat', {}), 'react/element-timing');
  console.log(`# react, element timing: ${describe(s)}`);
  const first = assertElementTiming(await run(page, 'reactChat', { paints: 'first' }), 'react/paints first');
  console.log(`# react, paints first: ${describe(first)}`);
});

test('React 19 + react-markdown, Element Timing forced off: never early, at most one frame late', async () => {
  const page = await open('react-chat', 'reactChat');
  const s = assertFallback(await run(page, 'reactChat', { pageMarks: true, elementTiming: false }), 'react/frame');
  console.log(`# react, fallback: ${describe(s)}`);
});
