// The two wasm builds in one page (load() then loadFull(), as the audit page and an app that upgrades later do), in
// Chromium against the simulated endpoint: a response measured across the switch still reports. A meter of one build
// cannot be added to the other build's aggregate (wasm-bindgen: "expected instance of Meter"), so before the fix a
// response begun on the embedded build and ended after loadFull() resolved, or begun after it on a session whose
// aggregate the embedded build had made, ended with a null report: the flake of merge.test.mjs run after
// engines.test.mjs. Each test opens its own page so that the kit starts unloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const env = useBrowser({ profile: 'scripted' });

/** Runs `fn(arg)` in a fresh page of the server's origin that has not imported the kit yet. */
async function inFreshPage(fn, arg) {
  const page = await env.browser.context.newPage();
  try {
    const url = `${env.server.page}load-order-blank.html`;
    await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
    await page.goto(url);
    return await page.evaluate(fn, arg);
  } finally {
    await page.close();
  }
}

test('responses measured across load() → loadFull() all report, each session stays on one build', async () => {
  const r = await inFreshPage(async () => {
    const cv = await import('/kit/index.js');
    if (!(await cv.load())) throw new Error('the embedded build did not load');
    const url = `${location.origin}/p/scripted,ttft=20,tokens=6/v1/chat/completions`;
    /** begin(), then the whole body through the handle; resolves the handle, not yet ended. */
    const read = async (session) => {
      const h = cv.begin({ session });
      const res = await fetch(url, { method: 'POST', body: '{"stream":true}' });
      h.headers(res.status, res.headers);
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return h;
        h.chunk(value);
      }
    };
    const outcome = (report) => report?.outcome ?? null;
    const early = new cv.Session(); // its aggregate is made by the embedded build, before the switch
    const before = outcome((await read(early)).end('eof'));
    const midway = new cv.Session(); // its first response is begun on the embedded build and ends after the switch
    const open = await read(midway);
    const full = await cv.loadFull();
    const across = outcome(open.end('eof'));
    const after = [early, midway].map(async (s) => outcome((await read(s)).end('eof')));
    const fresh = new cv.Session(); // made after the switch: the full build's aggregate
    const onFull = outcome((await read(fresh)).end('eof'));
    return {
      full, isFull: cv.isFull(), before, across, after: await Promise.all(after), onFull,
      responses: [early, midway, fresh].map((s) => s.summary()?.responses ?? null),
      budgets: [early, midway, fresh].map((s) => typeof s.aggregate?.checkBudget),
      diagnostics: cv.diagnostics.slice(),
    };
  });
  assert.equal(r.full, true, 'loadFull() resolved true');
  assert.equal(r.isFull, true);
  assert.equal(r.before, 'complete');
  assert.equal(r.across, 'complete', 'begun on the embedded build, ended after loadFull(): a report');
  assert.deepEqual(r.after, ['complete', 'complete'], 'begun after loadFull() on sessions that started embedded');
  assert.equal(r.onFull, 'complete');
  assert.deepEqual(r.responses, [2, 2, 1], 'every response is in its session aggregate');
  assert.deepEqual(r.budgets, ['undefined', 'undefined', 'function'], 'sessions begun before the switch stay embedded');
  assert.deepEqual(r.diagnostics, []);
});
