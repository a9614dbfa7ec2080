// Issue 12, the fallback where no browser paint time exists: Element Timing forced off in Chromium, and unavailable
// in Firefox ESR and WebKit (WPE), through the one driver layer. The reference is engine-independent: the page's own
// rAF callback (the first of every frame, so before that frame's rendering) stamps each frame, and a ResizeObserver
// stamps each frame's layout (after all of its rAF callbacks, before its paint); text committed at t can first be
// painted in the frame of the first layout after t. The kit's paint time must fall in that frame or the next: never
// early (framesLate ≥ 0), at most one frame late (framesLate ≤ 1). Before the fix, in Chromium, every
// scheduler-commit response was one frame early (framesLate −1; the Element Timing comparison of
// perceived-accuracy.test.mjs: 50 of 50 early). The reference took the first frame whose rAF callback ran after t
// until 2026-12-02: in WebKit under load (four busy loops on 2 cores) an app's read continuation ran between the app's
// and the kit's rAF callbacks of one frame, about 1 in 200 plain-append responses, and that frame painted the text,
// so the old reference called the kit's correct frame early (4 of 4 runs); with the layout reference 0 of 800 were
// early under the same load. CHAT_VITALS_ENGINES=chromium,firefox narrows the run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ENGINES } from './harness.mjs';

const RESPONSES = 50;
const SIM = { ttft_ms: 40, gaps_ms: [15, 25, 10, 20, 20], tokens: 6 };
const SELECTED = (process.env.CHAT_VITALS_ENGINES ?? ENGINES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);

for (const engine of SELECTED) {
  describe(`perceived TTFT without Element Timing in ${engine}`, () => {
    let browser;
    useBrowser({ profile: 'scripted', engine }, async (env) => {
      ({ browser } = env);
      await browser.goto(`${env.server.page}test-pages/scheduler.html`);
      await browser.waitFor(() => !!window.schedulerTest); // WebKit's WebDriver get() returns before module scripts run
      assert.equal(await browser.evaluate(() => window.schedulerTest.ready), true, 'wasm loaded');
    });

    for (const shape of ['scheduler', 'append']) {
      test(`${shape === 'scheduler' ? 'scheduler commits (after the paint, before the kit\'s post-frame task)' : 'plain appends'}: ${RESPONSES} responses, never early, at most one frame late`, async () => {
        const rs = await browser.evaluate(([s, n]) => window.schedulerTest.run(s, n),
          [{ shape, sim: SIM, elementTiming: false }, RESPONSES]);
        assert.equal(rs.length, RESPONSES);
        const late = { 0: 0, 1: 0 };
        for (const [i, r] of rs.entries()) {
          assert.ok(r.kitPaintMs !== null && r.frameRef !== null, `#${i}: a first paint and its frame reference (${JSON.stringify(r)})`);
          assert.equal(r.chars, r.contentChars, `#${i}: the whole answer was shown and measured`);
          assert.ok(r.frameRef.framesLate >= 0, `#${i}: never early: the kit credited a frame that began before the text was committed (${JSON.stringify(r.frameRef)})`);
          assert.ok(r.frameRef.framesLate <= 1, `#${i}: at most one frame late (${JSON.stringify(r.frameRef)})`);
          assert.ok(['frame', 'long-animation-frame'].includes(r.paintSource), `#${i}: source ${r.paintSource}`);
          assert.equal(r.marks.bubble, null, 'elementTiming: false sets no attribute');
          late[r.frameRef.framesLate]++;
        }
        console.log(`# ${engine} ${shape}: frames late 0: ${late[0]}, 1: ${late[1]}`);
      });
    }
  });
}
