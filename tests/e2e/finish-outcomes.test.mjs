// Issue 13 (finish reasons, outcome rules, options reachable) and issue 14 defect 1, in headless Chromium against
// the simulated endpoint: a preempted request (content, `data: [DONE]` without a finish reason, then the chunked
// body broken mid-chunk) and a cut-off plain-text body are `interrupted`, never `complete`, while the app gets the
// same error plain fetch gives; every format's finish reason reaches the report and the summary; the injectable
// build and the Playwright helper pass price options through to the reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { useKitPage, onlyLog } from './kit-helpers.mjs';
import { instrument, collect, INJECT_SCRIPT } from '../../www/kit/playwright.js';

let server;
let browser;
let page;
useKitPage({ profile: 'scripted', clearDiagnostics: true }, (env) => { ({ server, browser, page } = env); });

/** Reads `url` with plain fetch and through wrapFetch, like an app; returns how each read ended and the report. */
async function readBoth(url, body) {
  return page.evaluate(async ([url, body]) => {
    const init = { method: 'POST', body: JSON.stringify(body) };
    const readAll = async (res) => {
      const reader = res.body.getReader();
      let text = '';
      const dec = new TextDecoder();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { end: 'ok', text };
          text += dec.decode(value, { stream: true });
        }
      } catch (e) { return { end: `${e.name}: ${e.message}`, text }; }
    };
    const plain = await readAll(await fetch(url, init));
    const { onReport, done } = cv.reports(1);
    const wrapped = await readAll(await cv.wrapFetch(fetch, { onReport })(url, init));
    const [report] = await done;
    return { plain, wrapped, report, diagnostics: cv.diagnostics.slice() };
  }, [url, body]);
}

test('a preempted request ([DONE] without a finish reason, then the body breaks mid-chunk) is interrupted', async () => {
  const r = await readBoth(`${server.api}/p/scripted,ttft=20,tokens=8,preempt_after=3/v1/chat/completions`, { stream: true });
  assert.match(r.plain.end, /TypeError/, `plain fetch sees the broken body fail: ${r.plain.end}`);
  assert.equal(r.wrapped.end, r.plain.end, 'the app sees the same failure through wrapFetch');
  assert.equal(r.report.outcome, 'interrupted');
  // The kit sees exactly what the app read. Chromium usually delivers [DONE] (sent 30 ms before the break), but on a
  // loaded machine it can drop data still queued when the body fails; the outcome is interrupted either way, and
  // the [DONE]-then-break order itself is pinned by tests/outcomes.rs and kit-options.test.mjs.
  const appSawDone = r.wrapped.text.includes('data: [DONE]');
  assert.equal(r.report.endMarkerSeen, appSawDone);
  assert.equal(r.report.finishReason, null, 'the server gave no finish reason');
  const content = r.wrapped.text.split('\n').filter((l) => l.startsWith('data: {'))
    .map((l) => { try { return JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? ''; } catch { return ''; } }).join('');
  assert.ok(content.length > 0, 'content arrived before the break');
  assert.equal(r.report.contentChars, [...content].length, 'the kit counted exactly the content the app read');
  assert.deepEqual(r.diagnostics, []);
  const logs = await server.log();
  assert.equal(logs.length, 2, 'plain and wrapped requests');
  for (const log of logs) {
    assert.equal(log.outcome, 'preempted');
    assert.deepEqual(log.events.map((e) => e.kind).slice(-2), ['done-no-finish', 'broken-chunk'], 'the sim logs what it sent');
    assert.equal(log.events.filter((e) => e.kind === 'content').length, 3);
  }
});

test('a cut-off plain-text body is interrupted, not complete (issue 14 defect 1)', async () => {
  const r = await readBoth(`${server.api}/p/scripted,ttft=20,tokens=8,truncate_after=3/api/text`, {});
  assert.match(r.plain.end, /TypeError/, `Chromium fails the read of a chunked body closed early: ${r.plain.end}`);
  assert.equal(r.wrapped.end, r.plain.end);
  assert.equal(r.report.format, 'text');
  assert.equal(r.report.outcome, 'interrupted');
  // Chromium may drop bytes that raced the connection close; the kit counts exactly what the app got.
  assert.equal(r.report.contentChars, [...r.wrapped.text].length, 'everything the app read is counted');
  await server.clear();
  const whole = await readBoth(`${server.api}/p/scripted,ttft=20,tokens=8/api/text`, {});
  assert.equal(whole.wrapped.end, 'ok');
  assert.equal(whole.report.outcome, 'complete', 'a whole text body ends cleanly');
});

test('an SDK-style abort right after a finished stream stays complete; after a preempted [DONE] it never is', async () => {
  const outcomes = await page.evaluate(async (api) => {
    const out = [];
    for (const path of ['/p/scripted,ttft=10,tokens=4/v1/chat/completions', '/p/scripted,ttft=10,tokens=4,preempt_after=3/v1/chat/completions']) {
      const { onReport, done } = cv.reports(1);
      const ctl = new AbortController();
      const res = await cv.wrapFetch(fetch, { onReport })(`${api}${path}`, { method: 'POST', body: '{"stream":true}', signal: ctl.signal });
      const reader = res.body.getReader();
      let text = '';
      const dec = new TextDecoder();
      try {
        while (!text.includes('data: [DONE]')) {
          const { done: d, value } = await reader.read();
          if (d) break;
          text += dec.decode(value, { stream: true });
        }
      } catch { /* the preempted body broke before [DONE] reached the app */ }
      ctl.abort(); // as openai-node does once it parsed [DONE]
      out.push((await done)[0].outcome);
    }
    return out;
  }, server.api);
  assert.equal(outcomes[0], 'complete');
  // The broken chunk follows [DONE] at once, so the kit's read may fail before the app aborts: either way the
  // answer is not reported whole (the host tests cover each order exactly).
  assert.ok(['aborted', 'interrupted'].includes(outcomes[1]), outcomes[1]);
});

test('every format\'s finish reason reaches the report and the summary', async () => {
  const cases = [
    ['/v1/chat/completions', { stream: true }, 'stop'],
    ['/v1/responses', { stream: true }, 'completed'],
    ['/v1/messages', { stream: true, max_tokens: 8 }, 'end_turn'],
    ['/api/chat', {}, 'stop'],
    ['/api/generate', {}, 'stop'],
    ['/api/ai-sdk/data', {}, 'stop'],
    ['/api/ai-sdk/chat', {}, null], // the sim's `finish` part has no finishReason (older AI SDK versions)
    ['/api/text', {}, null],
  ];
  const r = await page.evaluate(async ([api, cases]) => {
    const session = new cv.Session();
    const reasons = [];
    for (const [path, body] of cases) {
      const res = await cv.wrapFetch(fetch, { session })(`${api}/p/scripted,ttft=5,tokens=3${path}`, { method: 'POST', body: JSON.stringify(body) });
      await res.text();
    }
    await new Promise((resolve) => { const t = setInterval(() => { if (session.reports.length === cases.length) { clearInterval(t); resolve(); } }, 5); });
    for (const rep of session.reports) reasons.push([rep.finishReason, rep.outcome, rep.cutByLength]);
    return { reasons, summary: session.summary() };
  }, [server.api, cases]);
  assert.deepEqual(r.reasons.map(([reason]) => reason), cases.map(([, , want]) => want));
  for (const [reason, outcome, cut] of r.reasons) {
    assert.equal(outcome, 'complete');
    assert.equal(cut, reason === null ? null : false);
  }
  assert.deepEqual(r.summary.finishReasons, { stop: 4, completed: 1, end_turn: 1 });
  assert.equal(r.summary.metrics.cutByLength.count, 6);
  assert.equal(r.summary.metrics.cutByLength.mean, 0);
});

test('the injectable build and the Playwright helper pass price, QoE and rating options to every report', async (t) => {
  if (!existsSync(INJECT_SCRIPT)) {
    // CI builds it (scripts/vendor.mjs) before the e2e run; a developer running this file alone may not have.
    t.skip(`${INJECT_SCRIPT} is missing: run node scripts/vendor.mjs`);
    return;
  }
  const p = await browser.context.newPage(); // instrument() adds its init script to this page only
  try {
    await instrument(p, { match: '/v1/chat/completions', cost: { inputUsdPerMtok: 2, outputUsdPerMtok: 8 },
      ratings: { ttft: [0.001, 0.002] }, qoe: { readingTokensPerS: 3.3 }, formatSource: 'preset', format: 'openai-chat' });
    await p.goto(`${server.page}examples/chat/`);
    await p.evaluate(async () => {
      for (let i = 0; i < 2; i++) {
        const res = await fetch('/p/scripted,ttft=5,tokens=6/v1/chat/completions', { method: 'POST',
          body: JSON.stringify({ stream: true, stream_options: { include_usage: true } }) });
        await res.text();
      }
    });
    await p.waitForFunction(() => window.chatVitals.reports().length === 2, null, { timeout: 10_000 });
    const { responses, summary, diagnostics } = await collect(p);
    assert.deepEqual(diagnostics, []);
    for (const r of responses) {
      assert.ok(r.inputTokens > 0 && r.outputTokens === 6);
      const want = (r.inputTokens * 2 + 6 * 8) / 1e6;
      assert.ok(Math.abs(r.costUsd - want) < 1e-12, `costUsd ${r.costUsd} = ${want}`);
      assert.ok(r.costPer1kOutputTokensUsd > 0);
      assert.equal(r.ratings.ttft, 'poor', 'the rating override reached the meter');
      assert.equal(r.formatDetectedBy, 'preset');
      assert.equal(r.finishReason, 'stop');
    }
    assert.equal(summary.metrics.costUsd.count, 2);
    assert.ok(summary.metrics.costUsd.p95 > 0);
  } finally {
    await p.close();
  }
});
