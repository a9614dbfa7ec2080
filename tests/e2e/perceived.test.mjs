// Issue 5 acceptance: perceived measurement in headless Chromium with real rendering. A test page
// (www/test-pages/perceived.html) renders simulated streams like chat UIs do; the kit's observe() times the paints.
// Scenarios: (a) immediate, (b) throttled to 100 ms, (c) 80 ms main-thread block every 3 chunks, (d) bubble created
// on the first token (bound by selector before it exists), (e) page hidden mid-stream, (f) three concurrent streams.
//
// Tolerances: a paint is timed by a task posted from the frame's rAF callback (or LoAF paintTime for long frames),
// so text that arrives at t is painted by t + one frame interval (measured on the page) + rendering; RENDER_SLACK_MS
// covers rendering and scheduling noise on a shared 2-core machine. A bound that load can miss (first paint, render
// lag, long frames in an immediate stream, chunk gaps) is an assertTimely: the test reruns it (kit-helpers.mjs untilTimely).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, REPO } from './harness.mjs';
import { WARM_TEXT } from '../../www/test-pages/fonts.js';
import { assertTimely, untilTimely, assertTtftMatches, assertContentChunksMatch } from './kit-helpers.mjs';

const RENDER_SLACK_MS = 12;
/**
 * How late the app's own setTimeout throttle may fire on top of that: first paint − first content for the 100 ms
 * throttle measured 111–132 ms over 18 runs (with this stop's kit and with the previous one alike), while the bound
 * without it is ~128.7 ms. When the page measures its own timer firing later than this (a stalled main thread), the
 * measured lateness is the slack instead: the kit must time the paint the app actually made, however late. (This did
 * not explain the CI-only failures of (b) below: there the timer was on time.)
 */
const TIMER_SLACK_MS = 10;
const timerSlack = (result) => Math.max(TIMER_SLACK_MS, result.timerLateMaxMs);

let server;
let browser;
let page;
let frameMs;
useBrowser({ profile: 'scripted' }, async (env) => {
  ({ server, browser } = env);
  page = browser.page;
  await page.goto(`${server.page}test-pages/perceived.html`);
  assert.equal(await page.evaluate(() => window.perceivedTest.ready), true, 'wasm loaded');
  frameMs = await page.evaluate(() => window.perceivedTest.frameMs());
  assert.ok(frameMs > 4 && frameMs < 40, `frame interval ${frameMs} ms is plausible`);
  // One warm-up stream (first fetch and JIT costs are not what these tests are about; the harness already loaded
  // the fonts of the simulated text's glyphs, www/test-pages/fonts.js).
  await run([{ mode: 'immediate', sim: { ttft_ms: 50, gaps_ms: [20], tokens: 2 } }]);
});

test('the font warm-up covers every non-ASCII glyph of the simulated text', () => {
  const words = readFileSync(join(REPO, 'sim', 'src', 'profile.rs'), 'utf8').match(/const WORDS: &\[&str\] = &\[([^\]]*)\]/);
  assert.ok(words, 'sim/src/profile.rs has WORDS');
  const glyphs = new Set([...words[1]].filter((c) => c.codePointAt(0) > 0x7f));
  assert.ok(glyphs.size >= 5, `non-ASCII glyphs found (${[...glyphs].join('')})`);
  for (const g of glyphs) assert.ok(WARM_TEXT.includes(g), `${g} is in the warm-up text`);
});

const steady = (ttft, gap, n) => ({ ttft_ms: ttft, gaps_ms: Array(n - 1).fill(gap), tokens: n });
const run = (scenarios) => page.evaluate((s) => window.perceivedTest.run(s), scenarios);
const codePoints = (s) => [...s].length;

function assertFirstPaint(r, injectedMs, what) {
  assert.ok(r.ttftMs !== null && r.perceivedTtftMs !== null, `${what}: TTFT and perceived TTFT are defined`);
  assert.ok(r.perceivedTtftMs >= r.ttftMs, `${what}: perceived TTFT ${r.perceivedTtftMs} ≥ network TTFT ${r.ttftMs}`);
  const bound = frameMs + injectedMs + RENDER_SLACK_MS;
  assertTimely(r.perceivedTtftMs - r.ttftMs <= bound,
    `${what}: first paint ${(r.perceivedTtftMs - r.ttftMs).toFixed(2)} ms after first content (≤ ${bound.toFixed(1)})`);
}

let immediate;
test('(a) immediate rendering: first paint within one frame, no long frames, attribution adds up', (t) => untilTimely(t, server, async () => {
  // The user presses Enter in the prompt box: the kit captures it as the send action.
  await page.focus('#prompt');
  await page.keyboard.press('Enter');
  const [{ report: r, chars }] = await run([{ mode: 'immediate', sim: steady(100, 30, 16) }]);
  assert.equal(r.perceivedInvalidReason, null);
  assertFirstPaint(r, 0, '(a)');
  assert.equal(chars, r.contentChars, 'visible chars = answer chars (the typing indicator is not counted)');
  // A long frame here is the loaded machine's (a GC, the renderer descheduled), which the kit rightly reports.
  assertTimely(r.longFrameCount === 0, `no long animation frames (${JSON.stringify(r.longFrames?.[0] ?? null)})`);
  assert.ok(r.renderLagCount >= 14, `render lag known for the chunks (${r.renderLagCount})`);
  assertTimely(r.renderLagP95Ms <= frameMs + RENDER_SLACK_MS, `render lag p95 ${r.renderLagP95Ms} within a frame`);
  assert.ok(r.frameCount > 10, `frames counted (${r.frameCount})`);
  assertTimely(r.unpaintedFrameCount <= 2, `no frames leave text unpainted (${r.unpaintedFrameCount})`);
  assert.ok(r.perceivedTtftFromSendMs >= r.perceivedTtftMs, 'the Enter keydown was captured as the send action');
  const m = await page.evaluate((id) => window.perceivedTest.vitals.filter((v) => v.id === id), r.id);
  const p = m.find((v) => v.name === 'PerceivedTTFT');
  assert.ok(p, 'onPerceivedTTFT delivered');
  assert.equal(p.value, r.perceivedTtftMs);
  assert.equal(p.delta, p.value);
  const a = p.attribution;
  const sum = a.requestToFirstByteMs + a.firstByteToFirstContentMs + a.firstContentToFirstPaintMs;
  assert.ok(Math.abs(sum - p.value) < 1e-9, `attribution parts ${sum} add up to ${p.value}`);
  assert.ok(a.firstContentToFirstPaintMs > 0 && a.sendToRequestMs >= 0);
  assert.equal(p.rating, p.value <= 500 ? 'good' : p.value <= 2000 ? 'needs-improvement' : 'poor');
  assert.ok(m.find((v) => v.name === 'TTFT' && v.value === r.ttftMs), 'onTTFT delivered');
  assert.ok(m.find((v) => v.name === 'Smoothness' && v.value === r.fluidityIndex), 'onSmoothness delivered');
  immediate = r; // (b) compares with the attempt that passed
}));

// (b)'s timing bounds failed in fresh-clone CI runs (first paint 318–677 ms after first content, the app's timer on
// time) until the fonts were warmed up front: with a cold OS page cache, the frame that first showed a CJK or emoji
// word spent 152 ms rendering with no script (its Long Animation Frame entry), and the kit timed the paint after it,
// as the user saw it. The diagnostic prints the long frames, so a failure says whether rendering was slow again.
test('(b) throttled to 100 ms updates: the first paint waits for the throttle; render lag and bursts within a frame of it', (t) => untilTimely(t, server, async () => {
  assert.ok(immediate, '(a) ran');
  const [result] = await run([{ mode: 'throttle', throttleMs: 100, sim: steady(100, 30, 16) }]);
  const { report: r, chars } = result;
  t.diagnostic(`the app's 100 ms timer fired up to ${result.timerLateMaxMs.toFixed(1)} ms late; paintSource ` +
    `${r.paintSource}, ${r.paintCount} paints, first paint ${(r.perceivedTtftMs - r.ttftMs).toFixed(1)} ms after first ` +
    `content, ${r.unpaintedFrameCount} unpainted frames; ${r.longFrameCount} long frames, longest ` +
    `${JSON.stringify(r.longFrames?.[0] ?? null)} (ms from request start; first content at ${r.ttftMs?.toFixed(1)})`);
  assert.equal(chars, r.contentChars);
  assert.ok(r.perceivedTtftMs - r.ttftMs >= 99, `first paint waits for the throttle (${(r.perceivedTtftMs - r.ttftMs).toFixed(1)} ms)`);
  assert.ok(r.paintCount <= 8, `few paints (${r.paintCount}) for 16 chunks`);
  assertFirstPaint(r, 100 + timerSlack(result), '(b)');
  assert.ok(r.renderLagMaxMs >= 99, `largest render lag ${r.renderLagMaxMs} ≥ the 100 ms throttle`);
  assertTimely(r.renderLagMaxMs <= 100 + timerSlack(result) + frameMs + RENDER_SLACK_MS,
    `largest render lag ${r.renderLagMaxMs} within a frame of the 100 ms throttle`);
  assert.ok(r.renderLagP95Ms > immediate.renderLagP95Ms + 40, `render lag p95 ${r.renderLagP95Ms} ≫ immediate ${immediate.renderLagP95Ms}`);
  // 30 ms chunks painted every ~100 ms: about 3 chunks per paint.
  assertTimely(r.charsPerPaintMax >= 2 * immediate.charsPerPaintMax - 2, `largest burst ${r.charsPerPaintMax} vs immediate ${immediate.charsPerPaintMax}`);
  assert.ok(r.unpaintedFrameCount >= 8, `frames with arrived-but-unpainted text (${r.unpaintedFrameCount})`);
}));

test('(c) 80 ms main-thread block every 3 chunks: long animation frames detected with script attribution', (t) => untilTimely(t, server, async () => {
  const [{ report: r, chars }] = await run([{ mode: 'block', blockEvery: 3, blockMs: 80, sim: steady(100, 30, 16) }]);
  assert.equal(chars, r.contentChars);
  assertFirstPaint(r, 0, '(c)');
  assert.ok(r.longFrameCount >= 3, `long frames: ${r.longFrameCount} (5 blocks)`);
  assert.ok(r.longFrameMaxMs >= 80, `longest frame ${r.longFrameMaxMs} ms ≥ the 80 ms block`);
  assert.ok(r.longFrameBlockingMs > 0 && r.longFrameTotalMs >= r.longFrameCount * 80);
  const top = r.longFrames[0];
  assert.ok(top.durationMs >= 80);
  assert.match(top.script.sourceURL, /test-pages\/perceived\.js$/, 'attributed to the page script that blocked');
  assert.ok(top.script.durationMs >= 75);
  const summary = await page.evaluate(() => window.perceivedTest.summary());
  assert.ok(summary.metrics.longFrames.max >= 3, 'long frames reach the aggregate');
}));

test('(d) bubble created on the first token, bound by selector before it exists', (t) => untilTimely(t, server, async () => {
  const [{ report: r, chars }] = await run([{ mode: 'immediate', lateBubble: true, sim: steady(150, 25, 12) }]);
  assert.ok(chars > 0 && chars === r.contentChars, `the late bubble's text is measured (${chars})`);
  assertFirstPaint(r, 0, '(d)');
  assert.ok(r.paintCount >= 8);
}));

test('paints: \'first\' times the first paint only, then stops the frame loop; the report says so', (t) => untilTimely(t, server, async () => {
  const [first, all] = await run([
    { mode: 'immediate', paints: 'first', sim: steady(100, 30, 16) },
    { mode: 'immediate', sim: steady(100, 30, 16) },
  ]);
  const r = first.report;
  assert.equal(r.paintScope, 'first');
  assertFirstPaint(r, 0, 'paints first');
  assert.equal(first.paintCalls, 1, 'one paint handed to the core');
  assert.equal(first.framesAfterFirstPaint, 0, 'no frame timed after the first paint');
  assert.equal(r.paintCount, 1);
  assert.equal(r.renderLagP95Ms, null);
  assert.equal(r.frameCount, null);
  assert.equal(first.chars, r.contentChars, 'the app still rendered everything');
  // The same stream observed in full, concurrently: every paint and frame is timed.
  assert.equal(all.report.paintScope, 'all');
  assert.ok(all.paintCalls > 5 && all.framesAfterFirstPaint > 5, `${all.paintCalls} paints, ${all.framesAfterFirstPaint} frames`);
  assert.ok(all.report.renderLagCount >= 14);
}));

test('(e) page hidden mid-stream: perceived metrics invalidated with the reason and excluded', async () => {
  const before = await page.evaluate(() => window.perceivedTest.summary());
  const pending = run([{ mode: 'immediate', sim: steady(80, 40, 20) }]);
  // Wait until text is on screen, then hide the page. Headless Chromium does not change visibility for
  // minimised windows or background tabs, so the page's document.visibilityState is overridden and a real
  // visibilitychange event is dispatched on document: the kit's own listener and its visibilityState read run.
  await page.waitForFunction(() => document.querySelector('#log .bubble:last-child')?.textContent.length > 10);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const [{ report: r }] = await pending;
  assert.equal(r.perceivedInvalidReason, 'page-hidden');
  assert.ok(r.ttftMs > 0 && r.outcome === 'complete', 'network metrics stay');
  assert.ok(r.ratings.ttft && !r.ratings.perceivedTtft, 'perceived TTFT is not rated');
  const after = await page.evaluate(() => window.perceivedTest.summary());
  assert.equal(after.perceivedExcluded, before.perceivedExcluded + 1, 'excluded from the aggregate');
  assert.equal(after.metrics.perceivedTtft.count, before.metrics.perceivedTtft.count);
  assert.equal(after.metrics.ttft.count, before.metrics.ttft.count + 1);
  const m = await page.evaluate((id) => window.perceivedTest.vitals.filter((v) => v.id === id), r.id);
  const ttft = m.filter((v) => v.name === 'TTFT');
  assert.equal(ttft.length, 1, 'TTFT flushed on hide, not again at the end (delta 0)');
  assert.equal(ttft[0].value, r.ttftMs);
  assert.ok(!m.some((v) => v.name === 'PerceivedTTFT'), 'no perceived TTFT for a hidden response');
});

test('(f) three concurrent streams: each one\'s numbers match its own schedule', (t) => untilTimely(t, server, async () => {
  await server.clear();
  const plans = [steady(80, 20, 12), steady(200, 45, 8), steady(320, 70, 6)];
  const out = await run(plans.map((sim, i) => ({ mode: 'immediate', label: `f${i}`, sim })));
  const logs = await server.log();
  assert.equal(logs.length, 3);
  for (const [i, { report: r, chars }] of out.entries()) {
    const log = logs.find((l) => Math.abs(l.ttftMs - plans[i].ttft_ms) < 30);
    assert.ok(log, `stream ${i} has its log entry`);
    assert.equal(r.contentChars, codePoints(log.text), `stream ${i}: its own text`);
    assert.equal(chars, r.contentChars, `stream ${i}: its own bubble shows it`);
    // The kit tests' own comparison with the endpoint log (kit-helpers.mjs: TTFT on one clock, one content chunk per
    // write, every gap within TOL_MS), per stream.
    assertTtftMatches(r, log);
    assertContentChunksMatch(r, log);
    const sent = log.events.filter((e) => e.kind === 'content');
    assertFirstPaint(r, 0, `(f) stream ${i}`);
    // Paints come from this stream's own bubble: the last paint shows exactly its own text.
    assert.equal(r.timeline.paints.at(-1).visibleChars, r.contentChars);
    assert.ok(r.renderLagCount >= sent.length - 1, `stream ${i}: render lag per chunk`);
  }
  const [a, b, c] = out.map((o) => o.report.perceivedTtftMs);
  assert.ok(a < b && b < c, 'perceived TTFTs follow the schedules');
}));

test('the audit page reports perceived metrics in its summary', async () => {
  await page.goto(server.page);
  await page.evaluate(() => window.chatVitalsAudit.ready);
  const report = await page.evaluate(() => window.chatVitalsAudit.run({
    preset: 'sim', profile: 'scripted', runs: 2, warmup: 0, concurrency: 1, prompts: ['hi'],
    sim: { ttft_ms: 60, gaps_ms: [20, 20, 20, 20], tokens: 5 },
  }));
  const m = report.summary.metrics;
  assert.equal(m.perceivedTtft.count, 2, 'perceived TTFT for every audited response');
  assert.ok(m.perceivedTtft.p50 >= m.ttft.p50);
  assert.ok(m.unpaintedFrames.count === 2 && m.renderLag.count >= 8);
  const text = await page.locator('#summary').innerText();
  assert.match(text, /Perceived TTFT/);
});
