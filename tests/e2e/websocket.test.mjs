// Issue 4: the manual path for other transports. A WebSocket server (npm `ws`, 127.0.0.1, started here) replays a
// scripted schedule; the page runs www/examples/websocket.js (begin → chunk → end) and the report must carry the
// schedule's TTFT and gaps within TOL_MS, on one wall clock as the other e2e tests do.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { useBrowser } from './harness.mjs';
import { openKitPage, assertTimely, untilTimely, TOL_MS, TRANSIT_MAX_MS } from './kit-helpers.mjs';

const TTFT_MS = 120;
const GAPS_MS = [30, 45, 20, 160, 35, 25];
const WORDS = ['Streams', ' over', ' a', ' socket', ' are', ' measured', ' too 🙂'];

let server;
let browser;
let wss;
const served = []; // per prompt: {arrivedUnixMs, sentOffsetsMs, text}

/** What untilTimely clears before a rerun: this file's own server log. */
const servedLog = { clear: async () => { served.length = 0; } };

const nowUnixMs = () => performance.timeOrigin + performance.now();

useBrowser({ profile: 'scripted' }, async (env) => {
  ({ server, browser } = env);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((ok) => wss.once('listening', ok));
  wss.on('connection', (sock) => {
    sock.on('message', (data) => {
      const { prompt } = JSON.parse(String(data));
      const t0 = performance.now();
      const entry = { prompt, arrivedUnixMs: performance.timeOrigin + t0, sentOffsetsMs: [], text: '' };
      served.push(entry);
      let at = TTFT_MS;
      const schedule = WORDS.map((w, i) => { if (i > 0) at += GAPS_MS[i - 1]; return [at, w]; });
      const next = (i) => {
        if (i === schedule.length) { sock.send(JSON.stringify({ type: 'done' })); return; }
        const [offset, text] = schedule[i];
        setTimeout(() => {
          entry.sentOffsetsMs.push(performance.now() - t0);
          entry.text += text;
          sock.send(JSON.stringify({ type: 'delta', text }));
          next(i + 1);
        }, Math.max(0, offset - (performance.now() - t0)));
      };
      next(0);
    });
  });
});
after(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise((ok) => (wss ? wss.close(ok) : ok()));
});

test('WebSocket example (manual path): TTFT and gaps match the server\'s schedule, text reaches the app', (t) => untilTimely(t, servedLog, async () => {
  const page = await openKitPage(browser, server);
  const port = wss.address().port;
  const runs = await page.evaluate(async (url) => {
    const { askOverWebSocket } = await import('/examples/websocket.js');
    const ws = new WebSocket(url);
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('ws failed')); });
    const out = [];
    for (const prompt of ['warm-up', 'hello']) { // the first answer pays one-time costs (JIT); measure the second
      let text = '';
      const report = await askOverWebSocket(ws, prompt, { onText: (t) => { text += t; } });
      out.push({ text, report });
    }
    ws.close();
    return out;
  }, `ws://127.0.0.1:${port}`);
  assert.equal(served.length, 2);
  const { text, report } = runs[1];
  const sent = served[1];
  assert.equal(text, sent.text, 'the app got the text the server sent');
  assert.equal(report.outcome, 'complete');
  assert.equal(report.format, 'text');
  assert.equal(report.formatDetectedBy, 'override');
  assert.equal(report.contentChars, [...sent.text].length);
  assert.equal(report.outputChunkCount, WORDS.length);
  // Request start (page clock) → server receipt (node clock): both wall clocks on this machine.
  const transitMs = sent.arrivedUnixMs - report.requestStartUnixMs;
  assert.ok(transitMs > -1 && transitMs < TRANSIT_MAX_MS, `transit ${transitMs} ms is plausible`);
  const expected = transitMs + sent.sentOffsetsMs[0];
  assertTimely(Math.abs(report.ttftMs - expected) <= TOL_MS, `TTFT ${report.ttftMs} vs ${expected.toFixed(3)} (server ${sent.sentOffsetsMs[0].toFixed(3)} + transit)`);
  const seen = report.timeline.chunks.filter((c) => c.contentChars > 0).map((c) => c.atMs);
  for (let i = 1; i < seen.length; i++) {
    const want = sent.sentOffsetsMs[i] - sent.sentOffsetsMs[i - 1];
    const got = seen[i] - seen[i - 1];
    assertTimely(Math.abs(got - want) <= TOL_MS, `gap ${i}: kit ${got.toFixed(3)} vs server ${want.toFixed(3)}`);
  }
  assert.ok(report.gapMaxMs >= 150, 'the 160 ms gap is in the report');
}));

test('WebSocket example: the socket closing mid-answer is recorded as aborted', async () => {
  const page = await openKitPage(browser, server);
  const port = wss.address().port;
  const result = await page.evaluate(async (url) => {
    const { askOverWebSocket } = await import('/examples/websocket.js');
    const ws = new WebSocket(url);
    await new Promise((ok) => { ws.onopen = ok; });
    let chunks = 0;
    const report = await askOverWebSocket(ws, 'cut me off', { onText: () => { if (++chunks === 2) ws.close(); } });
    return { chunks, report };
  }, `ws://127.0.0.1:${port}`);
  assert.equal(result.report.outcome, 'aborted');
  assert.equal(result.report.outputChunkCount, 2);
});

test('manual path: handle.chunk takes strings, Uint8Array views, ArrayBuffer, DataView and byte arrays alike', async () => {
  const page = await openKitPage(browser, server);
  const r = await page.evaluate(() => {
    const ev = (t) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`;
    const enc = new TextEncoder();
    const h = cv.begin({ format: 'openai-chat' });
    const padded = enc.encode(`xx${ev('ö three')}yy`); // a view into the middle of a larger buffer
    const view = padded.subarray(2, padded.length - 2);
    const dv = enc.encode(ev(' five'));
    const parts = [ev('one'), enc.encode(ev(' two')), view, enc.encode(ev(' four')).buffer,
      new DataView(dv.buffer), Array.from(enc.encode(ev(' six'))), 'data: [DONE]\n\n'];
    let t = performance.now();
    for (const p of parts) h.chunk(p, t += 5);
    padded.fill(0); // the app reuses its buffer before the batch is decoded
    const bytes = parts.reduce((n, p) => n + (typeof p === 'string' ? enc.encode(p).length : p.byteLength ?? p.length), 0);
    const report = h.end('eof', t + 1);
    return { report, expected: [...'one twoö three four five six'].length, parts: parts.length, bytes };
  });
  assert.equal(r.report.parseErrors, 0);
  assert.equal(r.report.contentChars, r.expected);
  assert.equal(r.report.bytes, r.bytes, 'a view counts only its own bytes');
  assert.equal(r.report.chunkCount, r.parts - 1, 'every read but the [DONE] one carried a delta');
  assert.equal(r.report.outcome, 'complete');
  assert.equal(r.report.outputChunkCount, 6);
});
