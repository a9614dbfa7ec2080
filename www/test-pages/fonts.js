// Font warm-up for the browser tests: every non-ASCII glyph the simulated endpoint's words use (sim/src/profile.rs
// WORDS; tests/e2e/perceived.test.mjs checks the list). The first frame that shows one of them makes the browser load
// a fallback font (CJK, color emoji). With a cold OS page cache that frame measured 152 ms of rendering with no script
// in it (its Long Animation Frame entry), and the kit rightly timed the first paint after it. The timing tests are
// about the kit and the app, so the harness (tests/e2e/harness.mjs) loads fonts.html before each test file's setup.
export const WARM_TEXT = 'café naïve über 日本語 🙂';

/** Shows WARM_TEXT for one frame: resolves after a frame that painted it (the next frame's rAF callback). */
export async function warmFonts() {
  const el = document.createElement('p');
  el.textContent = WARM_TEXT;
  document.body.append(el);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  el.remove();
}
