// Issue 11 (honest edges): a completed stream whose events carried no text gets the report diagnostic
// events-without-text, and the kit also records it in `diagnostics` (with its code, naming the format, never text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { openKitPage } from './kit-helpers.mjs';

let server;
let browser;
useBrowser({ profile: 'steady' }, async (env) => ({ server, browser } = env));

/** One Chat Completions stream through wrapFetch with `options`; the report and the kit's diagnostics. */
async function measure(options) {
  const page = await openKitPage(browser, server);
  return page.evaluate(async ({ api, options }) => {
    cv.diagnostics.length = 0;
    const { onReport, done } = cv.reports(1);
    const f = cv.wrapFetch(fetch, { ...options, onReport });
    const res = await f(`${api}/p/steady,tokens=4,scale=0.1/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' });
    await res.text();
    const [report] = await done;
    return { report, diagnostics: cv.diagnostics.slice() };
  }, { api: server.api, options });
}

test('a completed stream decoded with the wrong format: events, no text, a diagnostic that says so', async () => {
  // Chat Completions chunks read as AI SDK UI parts: no part type matches, but [DONE] ends it cleanly.
  const wrong = await measure({ format: 'ai-sdk-ui' });
  assert.ok(wrong.report.eventCount > 0, 'events arrived');
  assert.equal(wrong.report.contentChars, 0);
  assert.equal(wrong.report.outcome, 'complete');
  assert.deepEqual(wrong.report.diagnostics, ['events-without-text']);
  const [d] = wrong.diagnostics;
  assert.equal(d.code, 'events-without-text');
  assert.match(d.message, /none carried text \(format ai-sdk-ui, detected by override\)/);
  const right = await measure({});
  assert.ok(right.report.contentChars > 0);
  assert.deepEqual(right.report.diagnostics, []);
  assert.deepEqual(right.diagnostics, []);
});
