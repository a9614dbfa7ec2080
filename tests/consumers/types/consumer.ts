// A strict TypeScript consumer of the installed package. tests/e2e/consumers.test.mjs type-checks it with tsc. Each
// line marked with the expect-error directive must be an error (tsc fails on an unused one), so wrong options and
// unknown fields are rejected by the published types.
import {
  load, wrapFetch, begin, observe, pump, session, Session, diagnostics, onTTFT, onPerceivedTTFT, onSmoothness,
  TTFTThresholds, core, type ResponseReport, type Handle, type WrapFetchOptions, type Rating, type Diagnostic,
  type PerceivedTTFTMetric,
} from 'chat-vitals';
import * as bindings from 'chat-vitals/core';

const ok: boolean = await load();
await load(new URL('/assets/chat_vitals_bg.wasm', location.href));
await load('https://cdn.example.com/chat_vitals_bg.wasm');

const measured: typeof fetch = wrapFetch(fetch, {
  match: '/v1/chat/completions', observe: '.message.assistant:last-child', paints: 'first',
  firstTokenRule: 'first-content', format: 'openai-chat', warmup: false, label: 'chat',
  onReport: (r) => console.log(r.ttftMs, r.requestStartUnixMs),
});
wrapFetch(undefined, { match: /\/v1\//, session: new Session({ maxReports: 10 }) });
wrapFetch(fetch, { match: (url, init) => url.endsWith('/chat') && init?.method === 'POST' });

// @ts-expect-error paints takes 'all' | 'first'
wrapFetch(fetch, { paints: 'every' });
// @ts-expect-error not a first-token rule
wrapFetch(fetch, { firstTokenRule: 'first-token' });
// @ts-expect-error not a wire format
wrapFetch(fetch, { format: 'openai' });
// @ts-expect-error unknown option
wrapFetch(fetch, { matches: '/v1' });
// @ts-expect-error observe takes a selector or an Element
wrapFetch(fetch, { observe: 42 });
wrapFetch(fetch, { cost: { inputUsdPerMtok: 2.5, outputUsdPerMtok: 10 }, qoe: { readingTokensPerS: 3.3 },
  fluidity: { ttftDeadlineMs: 200 }, ratings: { ttft: [800, 3000] }, format: 'ollama', formatSource: 'preset' });
// @ts-expect-error cost needs both prices
wrapFetch(fetch, { cost: { inputUsdPerMtok: 2.5 } });
// @ts-expect-error formatSource is 'override' | 'preset'
wrapFetch(fetch, { formatSource: 'auto' });

const handle: Handle = begin({ format: 'anthropic', captureText: true, timelineCap: 64, sendAction: false });
handle.chunk('data: {}\n\n');
handle.chunk(new Uint8Array([1, 2]), performance.now());
handle.headers(200, new Headers({ 'content-type': 'text/event-stream' }));
const stop: () => void = observe('#answer', handle, { paints: 'all', ignore: '.typing' });
stop();
// @ts-expect-error not an end outcome
handle.end('done');
handle.end('read-error');
const report: ResponseReport | null = handle.end('eof');
if (report) {
  const id: string = report.id;
  const label: string | null = report.label;
  const warmup: boolean = report.warmup;
  const start: number = report.requestStartUnixMs;
  const frames = report.longFrames.map((f) => [f.startMs, f.durationMs, f.script?.sourceURL]);
  const ttft: number | null = report.ttftMs;
  const outcome: 'complete' | 'truncated' | 'interrupted' | 'aborted' | 'error' | 'http-error' | 'not-streamed' | null =
    report.outcome;
  const finish: string | null = report.finishReason;
  const cut: boolean | null = report.cutByLength;
  const cost: number | null = report.costPer1kOutputTokensUsd;
  console.log(finish, cut, cost);
  const rating: Rating | undefined = report.ratings['ttft'];
  console.log(id, label, warmup, start, frames, ttft, outcome, rating, report.timeline.chunks[0]?.atMs);
  // @ts-expect-error unknown report field
  console.log(report.ttft);
  // @ts-expect-error ttftMs may be null
  const n: number = report.ttftMs;
  console.log(n);
}
const res = await measured('/v1/chat/completions', { method: 'POST' });
if (res.body) await pump(res.body, begin(), null, { end: true });

session.onReport((r: ResponseReport) => console.log(r.gapP99Ms, r.stallCount, r.perceivedTtftMs));
const summary = session.summary();
const histf: string | undefined = await session.aggregate?.exportHistogram('ttft'); // full build: a Promise
console.log(summary?.metrics['ttft']?.p95, histf);

onTTFT(({ value, rating, attribution, delta, id }) => {
  const r: 'good' | 'needs-improvement' | 'poor' | undefined = rating;
  console.log(value, r, attribution.ttfbMs, attribution.firstTokenRule, delta, id);
});
onPerceivedTTFT((m: PerceivedTTFTMetric) => {
  const parts: number = m.attribution.requestToFirstByteMs + m.attribution.firstByteToFirstContentMs
    + m.attribution.firstContentToFirstPaintMs;
  console.log(parts, m.name === 'PerceivedTTFT');
  // @ts-expect-error not a rating
  const bad: typeof m.rating = 'fast';
  console.log(bad);
});
onSmoothness((m) => console.log(m.value, m.attribution.longestFrame?.script?.invoker), { reportAllChanges: true });
const good: number = TTFTThresholds[0];
// @ts-expect-error the thresholds are constants
TTFTThresholds[0] = 1;
const d: Diagnostic | undefined = diagnostics[0];
console.log(ok, good, d?.where, d?.message, core.version(), bindings.version());

const options: WrapFetchOptions = { stallThresholdMs: 300, maxLineBytes: 1 << 20 };
console.log(options);

// chat-vitals/merge: audit reports (e.g. one per shard) merged into one.
import { mergeReports, MergeError, type AuditReport } from 'chat-vitals/merge';
declare const shards: AuditReport[];
const merged: AuditReport = await mergeReports(shards, { budget: { 'ttft.p95': 1000 }, sources: ['a', 'b'] });
console.log(merged.summary?.responses, merged.responses[0]?.requestStartUnixMs, MergeError.name);
// @ts-expect-error a budget maps keys to numbers
await mergeReports(shards, { budget: { 'ttft.p95': 'fast' } });

// chat-vitals/otlp: field export to an OpenTelemetry Collector.
import { reportTo, type OtlpExporter } from 'chat-vitals/otlp';
const exporter: OtlpExporter = reportTo('https://otel.example.com/v1/metrics', {
  sampleRate: 0.1, resource: { 'service.name': 'chat-web' }, model: (r) => (r.serverAddress === 'api.openai.com' ? 'gpt-4o' : undefined),
  attributes: (a, r) => (r.outcome === 'aborted' ? null : { ...a, 'server.address': 'llm' }),
});
console.log(exporter.sampled, exporter.flush(), merged.responses[0]?.serverPort);
// @ts-expect-error transports are 'auto' | 'beacon' | 'fetch'
reportTo('/v1/metrics', { transport: 'xhr' });
