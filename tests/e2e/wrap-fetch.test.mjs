// Issue 4: wrapFetch in headless Chromium against the simulated endpoint. The app must get exactly what plain fetch
// would give it (bytes, chunking, status, errors) at its own pace; the kit stamps reads on arrival and records the
// outcome (complete / interrupted / error / http-error / aborted / not streamed) without ever throwing into the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { useKitPage, assertTtftMatches, assertContentChunksMatch, onlyLog, untilTimely, TOL_MS } from './kit-helpers.mjs';

let server;
let browser;
let page;
useKitPage({ profile: 'scripted', clearDiagnostics: true }, async (env) => {
  ({ server, browser, page } = env);
  await page.evaluate(async (api) => { // warm-up: connection, kit and wasm JIT
    const f = cv.wrapFetch(fetch);
    await (await f(`${api}/p/scripted,ttft=1,tokens=3/v1/chat/completions`, { method: 'POST', body: '{"stream":true}' })).text();
  }, server.api);
});

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const POST_STREAM = { method: 'POST', body: JSON.stringify({ stream: true }) };

test('byte-identical: the app reads the same bytes, in the same reads, as the network delivered (multi-byte UTF-8)', async () => {
  const r = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    const f = cv.wrapFetch(fetch, { onReport });
    const res = await f(`${api}/p/scripted,ttft=40,tokens=40,seed=1/api/text`, { method: 'POST', body: '{}' });
    const chunks = [];
    const reader = res.body.getReader();
    for (;;) { const { done: d, value } = await reader.read(); if (d) break; chunks.push(value); }
    const bytes = cv.concat(chunks);
    const [report] = await done;
    return { hash: await cv.sha256(bytes), length: bytes.length, reads: chunks.length, report, diagnostics: cv.diagnostics.slice() };
  }, server.api);
  const log = await onlyLog(server);
  assert.match(log.text, /[^\x00-\x7f]/u, 'the stream carries multi-byte UTF-8');
  const sent = Buffer.from(log.text, 'utf8');
  assert.equal(r.length, sent.length);
  assert.equal(r.hash, sha256(sent), 'SHA-256 of the app\'s bytes equals that of the endpoint\'s text');
  assert.equal(r.reads, r.report.chunkCount, 'the app saw the same reads the kit stamped');
  assert.equal(r.report.bytes, sent.length);
  assert.equal(r.report.contentChars, [...log.text].length);
  assert.equal(r.report.outcome, 'complete');
  assert.deepEqual(r.diagnostics, []);

  // SSE too: every byte the endpoint wrote reaches the app; the app's own SSE parsing yields the endpoint's text.
  await server.clear();
  const s = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=40,tokens=40,seed=1/v1/chat/completions`,
      { method: 'POST', body: JSON.stringify({ stream: true }) });
    const raw = await res.text();
    let text = '';
    for (const line of raw.split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
    }
    const [report] = await done;
    return { text, bytes: new TextEncoder().encode(raw).length, report };
  }, server.api);
  const slog = await onlyLog(server);
  assert.equal(s.text, slog.text);
  assert.equal(s.bytes, slog.events.reduce((n, e) => n + e.bytes, 0));
  assert.equal(s.report.bytes, s.bytes);
});

test('an app that overwrites or transfers the buffers it reads does not change what the kit measured', (t) => untilTimely(t, server, async () => {
  const r = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=20,tokens=30,seed=2/v1/chat/completions`,
      { method: 'POST', body: JSON.stringify({ stream: true }) });
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let raw = '';
    for (let i = 0; ; i++) {
      const { done: d, value } = await reader.read();
      if (d) break;
      raw += dec.decode(value, { stream: true });
      // The kit decodes its chunks in batches, later: it must have kept its own copy.
      if (i % 2) value.fill(0x20);
      else structuredClone(value.buffer, { transfer: [value.buffer] }); // detaches the app's buffer
    }
    let text = '';
    for (const line of raw.split('\n')) {
      if (line.startsWith('data: ') && line !== 'data: [DONE]') text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
    }
    const [report] = await done;
    return { chars: [...text].length, report };
  }, server.api);
  const log = await onlyLog(server);
  assert.equal(r.report.outcome, 'complete');
  assert.equal(r.report.parseErrors, 0);
  assert.equal(r.report.contentChars, r.chars);
  assert.equal(r.report.contentChars, [...log.text].length);
  assertContentChunksMatch(r.report, log);
}));

test('an app that reads slowly still gets kit timestamps from arrival, not from its reads', (t) => untilTimely(t, server, async () => {
  const gaps = [30, 45, 20, 160, 35, 25];
  const r = await page.evaluate(async ({ api, gaps }) => {
    const { onReport, done } = cv.reports(1);
    const t0 = performance.now();
    const res = await cv.wrapFetch(fetch, { onReport })(`${api}/v1/chat/completions`, {
      method: 'POST', body: JSON.stringify({ stream: true, sim: { profile: 'scripted', ttft_ms: 120, gaps_ms: gaps, tokens: gaps.length + 1 } }),
    });
    const reader = res.body.getReader();
    let reportBeforeAppDone = false;
    done.then(() => { reportBeforeAppDone = true; });
    let reads = 0;
    for (;;) {
      const { done: d } = await reader.read();
      if (d) break;
      reads++;
      await new Promise((ok) => setTimeout(ok, 250)); // the app is busy with something else between reads
    }
    const appDoneMs = performance.now() - t0;
    const [report] = await done;
    return { report, reads, appDoneMs, reportBeforeAppDone };
  }, { api: server.api, gaps });
  const log = await onlyLog(server);
  assert.ok(r.appDoneMs > 250 * r.reads, `the app took ${r.appDoneMs} ms for ${r.reads} reads`);
  assert.ok(r.reportBeforeAppDone, 'the kit finished at the stream\'s end, while the app was still reading');
  assert.ok(r.report.e2eStreamEndMs < r.appDoneMs - 500, `stream end ${r.report.e2eStreamEndMs} ms is arrival time, not app time`);
  assertTtftMatches(r.report, log);
  assertContentChunksMatch(r.report, log);
}));

test('AbortSignal: abort mid-body → aborted (the app sees the AbortError); abort before headers → aborted, no TTFT', async () => {
  const r = await page.evaluate(async (api) => {
    const CONTENT_RE = /"delta":\{"content":"[^"]/; // a chunk with text (not the role chunk's empty content)
    const out = {};
    {
      const { onReport, done } = cv.reports(1);
      const ac = new AbortController();
      const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=20,tokens=40/v1/chat/completions`,
        { method: 'POST', body: JSON.stringify({ stream: true }), signal: ac.signal });
      const reader = res.body.getReader();
      let contentReads = 0;
      try {
        for (;;) {
          const { done: d, value } = await reader.read();
          if (d) break;
          if (new TextDecoder().decode(value).match(CONTENT_RE) && ++contentReads === 3) ac.abort();
        }
        out.app = 'finished';
      } catch (e) { out.app = e.name; }
      [out.mid] = await done;
    }
    {
      const { onReport, done } = cv.reports(1);
      const ac = new AbortController();
      const p = cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=3000,tokens=3/v1/chat/completions`,
        { method: 'POST', body: JSON.stringify({ stream: true }), signal: ac.signal });
      ac.abort();
      try { await p; out.early = 'resolved'; } catch (e) { out.early = e.name; }
      [out.before] = await done;
    }
    return out;
  }, server.api);
  assert.equal(r.app, 'AbortError');
  assert.equal(r.mid.outcome, 'aborted');
  assert.ok(r.mid.ttftMs > 0 && r.mid.outputChunkCount >= 3 && r.mid.outputChunkCount < 40,
    `ttft ${r.mid.ttftMs}, ${r.mid.outputChunkCount} output chunks`);
  assert.equal(r.early, 'AbortError');
  assert.equal(r.before.outcome, 'aborted');
  assert.equal(r.before.ttftMs, null);
  // Let the endpoint finish what reached it (it notices the closed connections) so later tests see a clean log.
  // The early abort may win the race with the request itself, so the second request may never have reached the
  // endpoint: wait for "nothing in flight", not for a log length. (The sim counts a request from when it has read
  // it; the early request, if sent at all, left the page long before the first entry was logged.)
  for (const deadline = Date.now() + 6000; Date.now() < deadline;) {
    if ((await server.inFlight()) === 0 && (await server.log()).length >= 1) break;
    await new Promise((ok) => setTimeout(ok, 50)); // polling the endpoint's state; bounded by the deadline
  }
  assert.equal(await server.inFlight(), 0);
  const outcomes = (await server.log()).map((l) => l.outcome);
  assert.ok(outcomes.length === 1 || outcomes.length === 2, `log: ${outcomes}`);
  // The mid-body abort stopped the download. The early one says nothing about the kit: if the request reached the
  // endpoint, Chromium may drain its short response to reuse the connection (seen once: `complete`).
  assert.equal(outcomes[0], 'client-closed', `log: ${outcomes}`);
});

test('the app cancelling its body stops the download and records aborted', async () => {
  const r = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=20,tokens=60/v1/chat/completions`,
      { method: 'POST', body: JSON.stringify({ stream: true }) });
    const reader = res.body.getReader();
    await reader.read();
    await reader.read();
    const cancelledAt = performance.now();
    await reader.cancel('user pressed stop');
    const [report] = await done;
    return { report, cancelledAt, startedAt: report.requestStartUnixMs - performance.timeOrigin };
  }, server.api);
  assert.equal(r.report.outcome, 'aborted');
  assert.ok(r.report.e2eStreamEndMs <= r.cancelledAt - r.startedAt + 1, 'ended at the cancel, not at the stream end');
  // The endpoint notices the closed connection at its next writes (60 tokens × 30 ms would take 1.8 s).
  let log;
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    [log] = await server.log();
    if (log) break;
    await new Promise((ok) => setTimeout(ok, 50)); // polling the endpoint's log; bounded by the deadline
  }
  assert.ok(log, 'the endpoint finished the request');
  assert.equal(log.outcome, 'client-closed', 'the download stopped: the endpoint saw the client go away');
  assert.ok(log.outputTokens < 60, `endpoint sent ${log.outputTokens} of 60 tokens`);
});

test('a body cut off mid-stream → interrupted (a read error is never a clean end); the app gets the same error plain fetch gives', async () => {
  const r = await page.evaluate(async (api) => {
    const url = `${api}/p/scripted,ttft=20,tokens=8,truncate_after=3/v1/chat/completions`;
    const init = { method: 'POST', body: JSON.stringify({ stream: true }) };
    const CONTENT_RE = /"delta":\{"content":"[^"]/; // a chunk with text (not the role chunk's empty content)
    // Reads like an app: counts the content events it got before the body failed.
    const readAll = async (res) => {
      const reader = res.body.getReader();
      let contentReads = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { end: 'ok', contentReads };
          if (new TextDecoder().decode(value).match(CONTENT_RE)) contentReads++;
        }
      } catch (e) { return { end: `${e.name}: ${e.message}`, contentReads }; }
    };
    const plain = await readAll(await fetch(url, init));
    const { onReport, done } = cv.reports(1);
    const wrapped = await readAll(await cv.wrapFetch(fetch, { onReport })(url, init));
    const [report] = await done;
    return { plain, wrapped, report };
  }, server.api);
  assert.notEqual(r.plain.end, 'ok', 'plain fetch sees the cut-off body fail');
  assert.equal(r.wrapped.end, r.plain.end, 'the app sees the same failure through wrapFetch');
  assert.equal(r.report.outcome, 'interrupted', 'the sim closes the chunked body without its last chunk: the read fails');
  assert.equal(r.report.endMarkerSeen, false);
  // Chromium may drop the bytes that raced the connection close; the kit counts exactly what the app got.
  assert.ok(r.wrapped.contentReads >= 1 && r.wrapped.contentReads <= 3, `${r.wrapped.contentReads} content reads`);
  assert.equal(r.report.outputChunkCount, r.wrapped.contentReads);
});

test('an in-stream error payload → error with the server\'s class (OpenAI chat and Anthropic)', async () => {
  const r = await page.evaluate(async (api) => {
    const out = [];
    for (const [path, body] of [['/v1/chat/completions', { stream: true }], ['/v1/messages', { stream: true, max_tokens: 8 }]]) {
      const { onReport, done } = cv.reports(1);
      const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=20,tokens=8,error_after=2${path}`,
        { method: 'POST', body: JSON.stringify(body) });
      const text = await res.text();
      const [report] = await done;
      out.push({ report, appSawError: text.includes('simulated failure') });
    }
    return out;
  }, server.api);
  assert.deepEqual(r.map((x) => [x.report.outcome, x.report.errorClass, x.appSawError]),
    [['error', 'server_error', true], ['error', 'overloaded_error', true]]);
});

test('HTTP 500 → http-error with the status and no TTFT; the app gets the response untouched', async () => {
  const r = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    let original;
    const f = cv.wrapFetch(async (...a) => (original = await fetch(...a)), { onReport });
    const res = await f(`${api}/p/scripted,status=500/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: true }) });
    const same = res === original;
    const body = await res.json();
    const [report] = await done;
    return { same, status: res.status, body, report };
  }, server.api);
  assert.equal(r.same, true, 'the app got the very Response fetch returned');
  assert.equal(r.status, 500);
  assert.equal(r.body.error.message, 'simulated HTTP error');
  assert.equal(r.report.outcome, 'http-error');
  assert.equal(r.report.httpStatus, 500);
  assert.equal(r.report.ttftMs, null);
});

test('a non-streaming JSON response is passed through untouched and recorded as not streamed', async () => {
  const r = await page.evaluate(async (api) => {
    const { onReport, done } = cv.reports(1);
    let original;
    const f = cv.wrapFetch(async (...a) => (original = await fetch(...a)), { onReport });
    const res = await f(`${api}/p/scripted,ttft=30,tokens=5/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: false }) });
    const same = res === original;
    const [report] = await done; // recorded at the headers, before the app reads the body
    const json = await res.json();
    return { same, content: json.choices[0].message.content, report };
  }, server.api);
  const log = await onlyLog(server);
  assert.equal(log.outcome, 'non-streaming');
  assert.equal(r.same, true);
  assert.equal(r.content, log.text);
  assert.equal(r.report.streamed, false);
  assert.equal(r.report.outcome, 'not-streamed', 'its own outcome: complete counts only streams that finished');
  assert.equal(r.report.chunkCount, 0);
});

test('the kit never throws into the app: throwing onReport, garbage bytes, a non-Response from fetch', async () => {
  const r = await page.evaluate(async (api) => {
    const out = {};
    // A throwing onReport callback.
    const res = await cv.wrapFetch(fetch, { onReport: () => { throw new Error('app bug in onReport'); } })(
      `${api}/p/scripted,ttft=10,tokens=4/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ stream: true }) });
    out.text = await res.text();
    // Garbage bytes labelled as SSE (invalid UTF-8, NULs, broken JSON, a lone CR): the app gets them unchanged.
    const garbage = new Uint8Array(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    const parts = [garbage.slice(0, 1000), new TextEncoder().encode('data: {"choices":[{\n\r'), garbage.slice(1000)];
    const fake = async () => new Response(new ReadableStream({
      start(c) { for (const p of parts) c.enqueue(p); c.close(); },
    }), { headers: { 'content-type': 'text/event-stream' } });
    const { onReport, done } = cv.reports(1);
    const g = await cv.wrapFetch(fake, { onReport })('https://example.invalid/stream');
    const got = new Uint8Array(await g.arrayBuffer());
    out.garbageHash = await cv.sha256(got);
    out.sentHash = await cv.sha256(cv.concat(parts));
    out.sentBytes = cv.concat(parts).length;
    [out.garbageReport] = await done;
    // A fetch replacement that returns something that is not a Response.
    const odd = { ok: true, status: 200, body: {}, headers: null };
    out.oddSame = (await cv.wrapFetch(async () => odd)('https://example.invalid/odd')) === odd;
    // The app's own fetch errors reach the app unchanged.
    try { await cv.wrapFetch(async () => { throw new RangeError('app fetch failed'); })('https://example.invalid/x'); }
    catch (e) { out.appError = `${e.name}: ${e.message}`; }
    out.diagnostics = cv.diagnostics.map((d) => d.where);
    return out;
  }, server.api);
  const log = await onlyLog(server);
  assert.ok(r.text.includes('[DONE]') && r.text.length > 100, 'the app read the whole stream');
  assert.ok(log.text.length > 0);
  assert.equal(r.garbageHash, r.sentHash, 'garbage bytes reach the app unchanged');
  assert.ok(r.garbageReport && r.garbageReport.bytes === r.sentBytes, `the kit measured the garbage (${r.garbageReport?.bytes} bytes)`);
  assert.ok(r.garbageReport.parseErrors > 0 || r.garbageReport.outcome === 'truncated', 'garbage is counted, not fatal');
  assert.equal(r.oddSame, true);
  assert.equal(r.appError, 'RangeError: app fetch failed');
  assert.ok(r.diagnostics.includes('onReport callback'), `diagnostics record the callback failure: ${r.diagnostics}`);
  assert.ok(r.diagnostics.includes('wrapFetch'), 'diagnostics record the unreadable response');
});

test('the kit never throws into the app when its wasm could not load: fetch still works, diagnostics say why', async () => {
  const { context } = browser;
  const p2 = await context.newPage();
  try {
    await p2.route('**/*.wasm', (route) => route.abort());
    await p2.goto(`${server.page}test-pages/kit.html`);
    const r = await p2.evaluate(async (api) => {
      const ok = await cv.ready;
      const res = await cv.wrapFetch(fetch)(`${api}/p/scripted,ttft=10,tokens=4/api/text`, { method: 'POST', body: '{}' });
      return { ok, status: res.status, text: await res.text(), where: cv.diagnostics.map((d) => d.where), reports: cv.session.reports.length };
    }, server.api);
    const log = await onlyLog(server);
    assert.equal(r.ok, false);
    assert.equal(r.status, 200);
    assert.equal(r.text, log.text, 'the app got its text');
    assert.deepEqual([...new Set(r.where)], ['load', 'begin']);
    assert.equal(r.reports, 0);
  } finally {
    await p2.close();
  }
});

// Every other format the sim speaks, measured through wrapFetch with auto-detection.
const FORMATS = [
  { path: '/api/chat', format: 'ollama', by: 'content-type', usage: true },
  { path: '/api/generate', format: 'ollama', by: 'content-type', usage: true },
  { path: '/api/ai-sdk/data', format: 'ai-sdk-data', by: 'header', usage: true },
  { path: '/api/text', format: 'text', by: 'content-type', usage: false },
];
for (const f of FORMATS) {
  test(`${f.path} through wrapFetch: format ${f.format} detected by ${f.by}, TTFT/chunks/tokens match the endpoint`, (t) => untilTimely(t, server, async () => {
    const r = await page.evaluate(async ({ api, path }) => {
      const { onReport, done } = cv.reports(1);
      const res = await cv.wrapFetch(fetch, { onReport })(`${api}/p/scripted,ttft=120,tokens=10${path}`,
        { method: 'POST', body: JSON.stringify({ model: 'sim', prompt: 'hi', messages: [] }) });
      const raw = await res.text();
      const [report] = await done;
      return { raw, report, diagnostics: cv.diagnostics.slice() };
    }, { api: server.api, path: f.path });
    const log = await onlyLog(server);
    const rep = r.report;
    assert.deepEqual(r.diagnostics, []);
    assert.equal(rep.format, f.format);
    assert.equal(rep.formatDetectedBy, f.by);
    assert.equal(rep.outcome, 'complete');
    assert.equal(rep.contentChars, [...log.text].length);
    assert.equal(rep.bytes, Buffer.byteLength(r.raw, 'utf8'));
    assertTtftMatches(rep, log);
    assertContentChunksMatch(rep, log);
    if (f.usage) {
      assert.equal(rep.tokenSource, 'usage');
      assert.equal(rep.outputTokens, log.outputTokens);
    } else {
      assert.ok(rep.outputTokens > 0 && rep.tokenSource !== 'usage', `${rep.outputTokens} tokens from ${rep.tokenSource}`);
    }
  }));
}
void TOL_MS;

test('an abort or cancel after a finished stream (as SDKs do when they finish) records complete; before it, or after [DONE] without a finish reason, aborted', async () => {
  const r = await page.evaluate(async () => {
    const enc = new TextEncoder();
    const chunk = 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n';
    const finish = 'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\n';
    // A body that never closes by itself, so the kit cannot see EOF before the app stops.
    const fakeFetch = (parts) => async () => new Response(new ReadableStream({
      start(c) { for (const p of parts) c.enqueue(enc.encode(p)); },
    }), { headers: { 'content-type': 'text/event-stream' } });
    const run = async (parts, stop) => {
      const { onReport, done } = cv.reports(1);
      const ac = new AbortController();
      const res = await cv.wrapFetch(fakeFetch(parts), { onReport })('https://example.invalid/v1/chat/completions', { signal: ac.signal });
      const reader = res.body.getReader();
      for (let i = 0; i < parts.length; i++) await reader.read();
      if (stop === 'abort') ac.abort(); else await reader.cancel();
      const [report] = await done;
      return report.outcome;
    };
    return {
      abortAfterDone: await run([chunk, finish, 'data: [DONE]\n\n'], 'abort'),
      cancelAfterDone: await run([chunk, finish, 'data: [DONE]\n\n'], 'cancel'),
      abortAfterDoneWithoutFinish: await run([chunk, 'data: [DONE]\n\n'], 'abort'),
      abortMidway: await run([chunk], 'abort'),
      cancelMidway: await run([chunk], 'cancel'),
    };
  });
  assert.deepEqual(r, { abortAfterDone: 'complete', cancelAfterDone: 'complete', abortAfterDoneWithoutFinish: 'aborted',
    abortMidway: 'aborted', cancelMidway: 'aborted' });
});
