// Issue 16, item 2: field export to OpenTelemetry. Chromium measures real streams from the simulated endpoint with
// wrapFetch, and reportTo() sends them as OTLP/HTTP JSON to local 127.0.0.1 receivers: a sendBeacon to the page's
// own origin when the page is hidden or unloads, a keepalive fetch with headers to another origin (CORS preflight)
// every N responses. Every payload parses as an ExportMetricsServiceRequest with PyPI opentelemetry-proto (strict
// json_format) plus hand checks (camelCase, integer enums, string fixed64s, counts add up, advised bounds); the
// counts match the reports; no payload carries the answer text, prompt, API key or query string.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, extname, normalize } from 'node:path';
import { useBrowser, REPO } from './harness.mjs';

const API_KEY = 'sk-test-OTLP-SECRET-9f2c1';
const PROMPT = 'PROMPT-SECRET-please-never-export-me';
const QUERY = 'QUERY-SECRET-77';
// The GenAI semantic conventions' advised bounds (v1.41, model/gen-ai/metrics.yaml), written out independently.
const DURATION = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const ADVISED = {
  'gen_ai.client.operation.duration': DURATION,
  'gen_ai.client.operation.time_to_first_chunk': DURATION,
  'gen_ai.client.operation.time_per_output_chunk': DURATION,
  'gen_ai.client.token.usage': [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
};

let sim;
let browser;
let app; // the page's own origin: serves the test page and the kit, receives same-origin beacons
let collector; // another origin: answers CORS preflights, receives keepalive fetches
const payloads = []; // every body received, for the privacy and schema checks

/** A 127.0.0.1 server on an ephemeral port; `waitFor(n)` resolves once n OTLP posts arrived. */
function receiver(handleOther) {
  const posts = [];
  const waiters = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/v1/metrics') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks).toString('utf8');
      posts.push({ body, headers: req.headers });
      payloads.push(body);
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': req.headers.origin ?? '*' });
      res.end('{}');
      for (const w of waiters.splice(0)) w();
      return;
    }
    handleOther(req, res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, posts, preflights: [],
    async waitFor(n, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      while (posts.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} OTLP posts, got ${posts.length}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, deadline - Date.now()); });
      }
      return posts.slice(0, n);
    },
    close: () => new Promise((r) => server.close(r)),
  })));
}

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>otlp</title><p id="answer">…</p>
<script type="module">
import * as cv from '/kit/index.js';
import * as otlp from '/kit/otlp.js';
window.cv = cv; window.otlp = otlp; window.ready = cv.load();
</script>`;

async function serveStatic(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/page.html') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); return; }
  const file = normalize(join(REPO, 'www', path));
  if (!file.startsWith(join(REPO, 'www'))) { res.writeHead(403); res.end(); return; }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
}

function corsPreflight(req, res) {
  if (req.method === 'OPTIONS') {
    collector.preflights.push(req.headers);
    res.writeHead(204, { 'access-control-allow-origin': req.headers.origin, 'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, x-otlp-key', 'access-control-max-age': '600' });
    res.end();
    return;
  }
  res.writeHead(404); res.end();
}

useBrowser({ profile: 'realistic' }, async (env) => {
  ({ server: sim, browser } = env);
  app = await receiver(serveStatic);
  collector = await receiver(corsPreflight);
});

after(async () => {
  await app?.close();
  await collector?.close();
});

/** In the page: reportTo(url, options) and `n` streamed chat requests (plus optional failures) through wrapFetch. */
async function streamChats({ api, url, options, paths, key, prompt, query }) {
  await window.ready;
  const onSend = (info) => { const all = JSON.parse(localStorage.sends ?? '[]'); all.push(info); localStorage.sends = JSON.stringify(all); };
  const rename = options.renameServer;
  const attributes = rename ? (a) => { delete a['server.port']; a['server.address'] = rename; return a; } : undefined;
  window.exporter = window.otlp.reportTo(url, { ...options, attributes, onSend });
  const reports = [];
  const fetch2 = window.cv.wrapFetch(fetch, { onReport: (r) => reports.push(r), observe: '#answer' });
  const texts = [];
  for (const path of paths) {
    const res = await fetch2(`${api}${path}?session=${query}`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }] }),
    });
    const text = await res.text();
    document.querySelector('#answer').textContent = text.slice(0, 400);
    texts.push(text);
  }
  // wrapFetch ends a response after the next painted frame; wait for every report.
  const deadline = performance.now() + 10000;
  while (reports.length < paths.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { reports, texts };
}

const check = (bodies) => {
  const py = spawnSync('python3', [join(REPO, 'tests', 'e2e', 'otlp_check.py')], {
    input: JSON.stringify({ payloads: bodies, bounds: ADVISED }), encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: process.env.CHAT_VITALS_PYTHONPATH ?? join(REPO, '.tools', 'py') },
  });
  assert.equal(py.status, 0, py.stderr);
  return JSON.parse(py.stdout).results;
};

const histograms = (body) => JSON.parse(body).resourceMetrics[0].scopeMetrics[0].metrics;
const byName = (body, name) => histograms(body).find((m) => m.name === name)?.histogram.dataPoints ?? [];
const total = (points) => points.reduce((n, p) => n + Number(p.count), 0);
const attrs = (p) => Object.fromEntries(p.attributes.map((a) => [a.key, Object.values(a.value)[0]]));

/** Expected bucket counts of per-response seconds values under `bounds` (upper bound inclusive). */
function expectedCounts(valuesS, bounds) {
  const counts = new Array(bounds.length + 1).fill(0);
  for (const v of valuesS) counts[bounds.findIndex((b) => v <= b + 1e-12) === -1 ? bounds.length : bounds.findIndex((b) => v <= b + 1e-12)]++;
  return counts;
}

test('on page hide, a same-origin sendBeacon carries the session as an OTLP request that protobuf parses and the reports explain', async () => {
  const { page } = browser;
  await page.goto(`${app.url}/page.html`);
  const paths = ['/p/realistic,seed=3,tokens=30/v1/chat/completions', '/p/stalls,seed=4,tokens=30/v1/chat/completions',
    '/p/scripted,status=503/v1/chat/completions'];
  const run = await page.evaluate(streamChats, { api: sim.api, url: '/v1/metrics', paths, key: API_KEY, prompt: PROMPT, query: QUERY,
    options: { resource: { 'service.name': 'chat-web', 'deployment.environment.name': 'test' }, model: 'sim-model' } });
  assert.equal(run.reports.length, 3);
  assert.equal(app.posts.length, 0, 'nothing is sent before the page is hidden');
  // The page goes away (a real pagehide; headless Chromium keeps background tabs 'visible', so this is the hide
  // it can do for real): the exporter sends what it holds with sendBeacon, which outlives the page.
  await page.goto('about:blank');
  const [post] = await app.waitFor(1);
  await page.goto(`${app.url}/page.html`);
  assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.sends)).map((s) => s.transport), ['beacon']);
  assert.match(post.headers['content-type'], /^application\/json/);
  const [result] = check([post.body]);
  assert.deepEqual(result.errors, []);
  assert.ok(result.ok);

  const req = JSON.parse(post.body);
  const resource = Object.fromEntries(req.resourceMetrics[0].resource.attributes.map((a) => [a.key, a.value.stringValue]));
  assert.equal(resource['service.name'], 'chat-web');
  assert.equal(resource['deployment.environment.name'], 'test');
  assert.equal(resource['telemetry.sdk.name'], 'chat-vitals');

  const { reports } = run;
  const streamed = reports.filter((r) => r.streamed && r.outcome !== 'http-error');
  assert.equal(streamed.length, 2, 'the 503 is not a stream');
  assert.equal(reports.find((r) => r.outcome === 'http-error')?.httpStatus, 503);
  // Duration: every response, one sample each, bucketed exactly as the reports say.
  const duration = byName(post.body, 'gen_ai.client.operation.duration');
  assert.equal(total(duration), 3);
  const failed = duration.find((p) => attrs(p)['error.type']);
  assert.equal(attrs(failed)['error.type'], '503');
  for (const p of duration) {
    const a = attrs(p);
    assert.equal(a['gen_ai.operation.name'], 'chat');
    // From the wire format; an error body has none (an app that knows its provider passes `provider`).
    assert.equal(a['gen_ai.provider.name'], a['error.type'] ? '_OTHER' : 'openai');
    assert.equal(a['gen_ai.request.model'], 'sim-model');
    assert.equal(a['server.address'], '127.0.0.1');
    assert.equal(a['server.port'], String(new URL(sim.api).port));
  }
  const ok = duration.find((p) => !attrs(p)['error.type']);
  assert.deepEqual(ok.bucketCounts.map(Number), expectedCounts(streamed.map((r) => r.e2eStreamEndMs / 1000), DURATION));
  assert.ok(Math.abs(ok.sum - streamed.reduce((s, r) => s + r.e2eStreamEndMs / 1000, 0)) < 1e-6);
  assert.equal(ok.min, Math.min(...streamed.map((r) => r.e2eStreamEndMs / 1000)));
  // First chunk: streaming only, from the first framed message.
  const first = byName(post.body, 'gen_ai.client.operation.time_to_first_chunk');
  assert.equal(first.length, 1);
  assert.deepEqual(first[0].bucketCounts.map(Number), expectedCounts(streamed.map((r) => r.ttftByRule.firstEvent / 1000), DURATION));
  // Per-chunk gaps from the responses' histograms: every gap, once.
  assert.equal(total(byName(post.body, 'gen_ai.client.operation.time_per_output_chunk')), streamed.reduce((n, r) => n + r.gapCount, 0));
  assert.ok(streamed.reduce((n, r) => n + r.gapCount, 0) > 40);
  // Tokens: from the server's usage only, input and output apart.
  const tokens = byName(post.body, 'gen_ai.client.token.usage');
  const output = tokens.find((p) => attrs(p)['gen_ai.token.type'] === 'output');
  const usage = streamed.filter((r) => r.tokenSource === 'usage');
  assert.equal(usage.length, 2, 'the endpoint sent usage');
  assert.equal(output.sum, usage.reduce((n, r) => n + r.outputTokens, 0));
  // chat_vitals.*: seconds and counts per response.
  const rule = byName(post.body, 'chat_vitals.time_to_first_token');
  assert.equal(attrs(rule[0])['chat_vitals.first_token_rule'], 'first-content');
  assert.equal(total(byName(post.body, 'chat_vitals.stall.count')), 2);
  assert.equal(total(byName(post.body, 'chat_vitals.fluidity_index')), 2);
  const perceived = streamed.filter((r) => r.perceivedTtftMs != null && !r.perceivedInvalidReason);
  assert.equal(total(byName(post.body, 'chat_vitals.perceived_time_to_first_token')), perceived.length);
  assert.equal(histograms(post.body).find((m) => m.name === 'gen_ai.client.operation.duration').unit, 's');
});

test('every N responses and on pagehide, a cross-origin keepalive fetch with headers; attributes renamed and dropped; sampling', async () => {
  const { page } = browser;
  await page.goto(`${app.url}/page.html`);
  await page.evaluate(() => localStorage.clear());
  const unsampled = await page.evaluate(async () => {
    await window.ready;
    const r = window.otlp.reportTo('/v1/metrics', { sampleRate: 0 });
    return { sampled: r.sampled, flushed: r.flush() };
  });
  assert.deepEqual(unsampled, { sampled: false, flushed: false });
  const paths = Array.from({ length: 5 }, (_, i) => `/p/realistic,seed=${10 + i},tokens=12/v1/chat/completions`);
  const before = collector.posts.length;
  const run = await page.evaluate(streamChats, { api: sim.api, url: `${collector.url}/v1/metrics`, paths, key: API_KEY, prompt: PROMPT, query: QUERY,
    options: { everyResponses: 2, headers: { 'x-otlp-key': 'collector-token' }, provider: 'sim-provider', renameServer: 'chat-backend' } });
  assert.equal(run.reports.length, 5);
  await collector.waitFor(before + 2); // after responses 2 and 4
  // visibilitychange → hidden sends the fifth. Headless Chromium never hides a tab, so the page's visibilityState
  // is overridden and the event dispatched as the browser would.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const posts = (await collector.waitFor(before + 3)).slice(before);
  assert.equal(await page.evaluate(() => window.exporter.flush()), false, 'nothing left to send');
  await page.goto('about:blank'); // pagehide: nothing pending, nothing sent
  assert.equal(collector.posts.length, before + 3, 'no post after the last one');
  assert.equal(app.posts.length, 1, 'the unsampled exporter sent nothing to the page origin (only the first test did)');
  for (const p of posts) {
    assert.equal(p.headers['x-otlp-key'], 'collector-token');
    assert.match(p.headers['content-type'], /^application\/json/);
    assert.equal(p.headers.cookie, undefined, 'no credentials');
  }
  assert.ok(collector.preflights.length >= 1, 'application/json + a custom header is preflighted');
  const results = check(posts.map((p) => p.body));
  results.forEach((r) => assert.deepEqual(r.errors, []));
  assert.deepEqual(posts.map((p) => total(byName(p.body, 'gen_ai.client.operation.duration'))), [2, 2, 1]);
  const a = attrs(byName(posts[0].body, 'gen_ai.client.operation.duration')[0]);
  assert.equal(a['server.address'], 'chat-backend');
  assert.equal(a['server.port'], undefined);
  assert.equal(a['gen_ai.provider.name'], 'sim-provider');
  assert.equal(a['gen_ai.request.model'], undefined, 'no model name unless the app gives one');
  // DELTA windows follow each other.
  const windows = posts.map((p) => byName(p.body, 'gen_ai.client.operation.duration')[0]);
  assert.ok(windows.every((w) => JSON.parse(posts[0].body).resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.aggregationTemporality === 1));
  assert.equal(windows[1].startTimeUnixNano, windows[0].timeUnixNano);
  assert.equal(windows[2].startTimeUnixNano, windows[1].timeUnixNano);
});

test('no payload carries the answer text, the prompt, the API key or the query string', async () => {
  assert.ok(payloads.length >= 4);
  const texts = (await sim.log()).map((l) => l.text).filter((t) => t && t.length > 40);
  assert.ok(texts.length >= 5, 'the endpoint streamed answers');
  for (const body of payloads) {
    for (const secret of [API_KEY, PROMPT, QUERY, 'Bearer', 'session=', '/v1/chat/completions', '/p/']) {
      assert.equal(body.includes(secret), false, `payload contains ${secret}`);
    }
    for (const t of texts) {
      for (let i = 0; i + 24 <= t.length; i += 12) assert.equal(body.includes(t.slice(i, i + 24)), false, `payload contains answer text ${JSON.stringify(t.slice(i, i + 24))}`);
    }
  }
});

test('the audit CLI writes the same OTLP request with --otlp FILE: lab and field data share names, bounds and attributes', () => {
  const out = mkdtempSync(join(tmpdir(), 'cv-otlp-cli-'));
  try {
    const file = join(out, 'lab.otlp.json');
    const r = spawnSync(process.execPath, [join(REPO, 'www', 'cli', 'audit.mjs'), '--runs', '4', '--warmup', '1', '--quiet',
      '--model', 'sim-model', '--out', out, '--otlp', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /otlp: .*lab\.otlp\.json/);
    const body = readFileSync(file, 'utf8');
    const [result] = check([body]);
    assert.deepEqual(result.errors, []);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const measured = report.responses.filter((x) => !x.warmup);
    assert.equal(measured.length, 4);
    assert.equal(total(byName(body, 'gen_ai.client.operation.duration')), 4, 'the warm-up response is not exported');
    assert.deepEqual(byName(body, 'gen_ai.client.operation.time_to_first_chunk')[0].bucketCounts.map(Number),
      expectedCounts(measured.map((x) => x.ttftByRule.firstEvent / 1000), DURATION));
    const gaps = report.summary.metrics.gaps;
    assert.equal(total(byName(body, 'gen_ai.client.operation.time_per_output_chunk')), gaps.count + gaps.outOfRange);
    const a = attrs(byName(body, 'gen_ai.client.operation.duration')[0]);
    assert.equal(a['gen_ai.request.model'], 'sim-model');
    assert.equal(a['server.address'], '127.0.0.1');
    const resource = Object.fromEntries(JSON.parse(body).resourceMetrics[0].resource.attributes.map((x) => [x.key, x.value.stringValue]));
    assert.equal(resource['service.name'], 'chat-vitals-audit');
    assert.equal(resource['chat_vitals.source'], 'lab');
    // The field export's metric names (first test) are the lab's.
    const labNames = JSON.parse(body).resourceMetrics[0].scopeMetrics[0].metrics.map((m) => m.name).sort();
    assert.deepEqual(labNames, histograms(payloads[0]).map((m) => m.name).sort());
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the default entry does not carry the exporter: chat-vitals/otlp is its own entry and costs only where imported', async () => {
  const { build } = await import('esbuild');
  const { brotliCompressSync } = await import('node:zlib');
  const bundle = async (contents) => (await build({ stdin: { contents, resolveDir: join(REPO, 'www', 'kit'), loader: 'js' },
    bundle: true, write: false, format: 'esm', minify: true, logLevel: 'silent' })).outputFiles[0].contents;
  const plain = await bundle("export { load, wrapFetch, session, onPerceivedTTFT } from './index.js';");
  const withOtlp = await bundle("export { load, wrapFetch, session, onPerceivedTTFT } from './index.js'; export { reportTo } from './otlp.js';");
  const text = (b) => Buffer.from(b).toString('utf8');
  assert.equal(text(plain).includes('gen_ai.client'), false, 'no OTLP metric names in the default bundle');
  assert.equal(text(plain).includes('sendBeacon'), false);
  assert.ok(text(withOtlp).includes('gen_ai.client.operation.time_to_first_chunk'));
  const added = brotliCompressSync(withOtlp).length - brotliCompressSync(plain).length;
  assert.ok(added > 0 && added < 4096, `reportTo adds ${added} B brotli to an app that imports it`);
});

test('reportTo without a document (server-side rendering) never throws: a no-op exporter, a diagnostic, nothing subscribed', async () => {
  const { reportTo } = await import('../../www/kit/otlp.js');
  const { diagnostics } = await import('../../www/kit/core.js');
  const { session } = await import('../../www/kit/session.js');
  const r = reportTo('https://otel.example.com/v1/metrics');
  assert.equal(r.sampled, false);
  assert.equal(r.flush(), false);
  assert.equal(session.sinks.size, 0);
  assert.ok(diagnostics.some((d) => d.where === 'otlp' && /document/.test(d.message)));
});
