// Field export to OpenTelemetry: the session's responses as an OTLP/HTTP JSON ExportMetricsServiceRequest, sent on
// page hide (web-vitals' convention) and optionally every N responses. Not in the default entry: import
// 'chat-vitals/otlp' (www/kit/otlp.js); nothing here runs unless reportTo() or OtlpCollector is used.
//
// Histograms use explicit buckets with the GenAI semantic conventions' advised bounds (v1.41), DELTA temporality
// (each payload holds the responses since the previous one), so a collector can merge them across browsers.
// Privacy: only numbers and low-cardinality attributes leave the page — no text, headers, request body, URL path
// or query; the model name only when the app passes it.
import { core, diag } from './core.js';
import { session as defaultSession } from './session.js';

/** gen_ai.client.operation.* advice: 10 ms … 81.92 s, doubling. */
export const GENAI_DURATION_BOUNDS_S = Object.freeze([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]);
/** gen_ai.client.token.usage advice: 1 … 67,108,864 tokens, ×4. */
export const GENAI_TOKEN_BOUNDS = Object.freeze([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]);
/** gen_ai.server.time_per_output_token advice (used for chat_vitals.time_per_output_token). */
export const GENAI_TPOT_BOUNDS_S = Object.freeze([0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5]);
/** Render lag: under a frame … seconds. */
export const RENDER_LAG_BOUNDS_S = Object.freeze([0.004, 0.008, 0.016, 0.033, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
export const STALL_COUNT_BOUNDS = Object.freeze([0, 1, 2, 4, 8, 16, 32]);
export const FLUIDITY_BOUNDS = Object.freeze([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]);

const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const seconds = (ms) => (finite(ms) ? ms / 1000 : null);
const perceivedOk = (r) => !r.perceivedInvalidReason;

/**
 * Every exported metric: name, unit, bounds (in the unit), and either `value(report)` (one sample per response,
 * in the unit) or `series` (per-chunk samples read from the response's histogram). `streaming`: only for streamed
 * responses (the conventions: "SHOULD NOT be reported otherwise").
 */
export const OTLP_METRICS = Object.freeze([
  { name: 'gen_ai.client.operation.duration', unit: 's', bounds: GENAI_DURATION_BOUNDS_S,
    description: 'GenAI operation duration: request start to the end of the response stream', value: (r) => seconds(r.e2eStreamEndMs) },
  { name: 'gen_ai.client.operation.time_to_first_chunk', unit: 's', bounds: GENAI_DURATION_BOUNDS_S, streaming: true,
    description: 'Time from the request to the first chunk (framed message) of the response stream', value: (r) => seconds(r.ttftByRule?.firstEvent) },
  { name: 'gen_ai.client.operation.time_per_output_chunk', unit: 's', bounds: GENAI_DURATION_BOUNDS_S, streaming: true, series: 'gaps',
    description: 'Time between consecutive output chunks (content or reasoning)' },
  { name: 'gen_ai.client.token.usage', unit: '{token}', bounds: GENAI_TOKEN_BOUNDS, tokens: true,
    description: 'Input and output tokens as the server reported them in its usage' },
  { name: 'chat_vitals.time_to_first_token', unit: 's', bounds: GENAI_DURATION_BOUNDS_S, streaming: true,
    description: 'TTFT under the first-token rule named by chat_vitals.first_token_rule', value: (r) => seconds(r.ttftMs),
    attributes: (r) => ({ 'chat_vitals.first_token_rule': r.firstTokenRule }) },
  { name: 'chat_vitals.perceived_time_to_first_token', unit: 's', bounds: GENAI_DURATION_BOUNDS_S, streaming: true,
    description: 'Request start to the first paint that showed answer text', value: (r) => (perceivedOk(r) ? seconds(r.perceivedTtftMs) : null) },
  { name: 'chat_vitals.time_per_output_token', unit: 's', bounds: GENAI_TPOT_BOUNDS_S, streaming: true,
    description: '(last - first output chunk) / (output tokens - 1), per response', value: (r) => seconds(r.tpotMs) },
  { name: 'chat_vitals.stall.count', unit: '{stall}', bounds: STALL_COUNT_BOUNDS, streaming: true,
    description: 'Gaps of at least the stall threshold, per response', value: (r) => (finite(r.stallCount) ? r.stallCount : null) },
  { name: 'chat_vitals.fluidity_index', unit: '1', bounds: FLUIDITY_BOUNDS, streaming: true,
    description: 'Etalon fluidity index (share of token deadlines met), per response', value: (r) => (finite(r.fluidityIndex) ? r.fluidityIndex : null) },
  { name: 'chat_vitals.render_lag', unit: 's', bounds: RENDER_LAG_BOUNDS_S, streaming: true, series: 'renderLag', perceived: true,
    description: 'Chunk arrival to the first paint that showed it, per chunk' },
]);

const PROVIDERS = { 'openai-chat': 'openai', 'openai-responses': 'openai', anthropic: 'anthropic', ollama: 'ollama' };

/** error.type of a response: absent when complete (or not a stream); the HTTP status, the error class, or the outcome otherwise. */
export function errorType(r) {
  switch (r.outcome) {
    case 'complete': case 'not-streamed': case null: case undefined: return null; // a JSON document is no error
    case 'http-error': return r.httpStatus ? String(r.httpStatus) : 'http-error';
    case 'error': return r.errorClass || 'error';
    default: return r.outcome; // truncated, aborted
  }
}

/** The attributes every data point of a response carries, before the app's `attributes` hook. */
function baseAttributes(r, o) {
  const a = { 'gen_ai.operation.name': o.operationName ?? 'chat', 'gen_ai.provider.name': o.provider ?? PROVIDERS[r.format] ?? '_OTHER' };
  const model = typeof o.model === 'function' ? o.model(r) : o.model;
  if (model) a['gen_ai.request.model'] = String(model);
  if (r.serverAddress) a['server.address'] = r.serverAddress;
  if (r.serverPort) a['server.port'] = r.serverPort;
  const err = errorType(r);
  if (err) a['error.type'] = err;
  return a;
}

function anyValue(v) {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: String(v) };
}
const keyValues = (obj) => Object.entries(obj).filter(([, v]) => v !== null && v !== undefined)
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, v]) => ({ key, value: anyValue(v) }));
/** fixed64 nanoseconds since the epoch as a decimal string (µs precision). */
const unixNanos = (epochMs) => String(BigInt(Math.round(epochMs * 1000)) * 1000n);
const epochNowMs = () => performance.timeOrigin + performance.now();

/** One histogram data point being filled. */
class Point {
  constructor(def, attributes) {
    this.def = def;
    this.attributes = attributes;
    this.boundsMs = def.unit === 's' ? def.bounds.map((b) => Math.round(b * 1e6) / 1e3) : null;
    this.counts = new Array(def.bounds.length + 1).fill(0);
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.exactMinMax = true;
  }
  /** One sample in the metric's unit (seconds are compared with the bounds in ms, as they were measured). */
  record(v) {
    const bounds = this.boundsMs ?? this.def.bounds;
    const x = this.boundsMs ? Math.round(v * 1e6) / 1e3 : v;
    let i = 0;
    while (i < bounds.length && x > bounds[i]) i++;
    this.counts[i]++;
    this.count++;
    this.sum += v;
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
  }
  /** Bucket counts read from the core ([...counts, sumMs]); min/max are then unknown. */
  recordBuckets(countsAndSumMs) {
    const n = this.counts.length;
    let added = 0;
    for (let i = 0; i < n; i++) { this.counts[i] += countsAndSumMs[i]; added += countsAndSumMs[i]; }
    if (!added) return;
    this.count += added;
    this.sum += countsAndSumMs[n] / 1000;
    this.exactMinMax = false;
  }
  toJSON(startNanos, endNanos) {
    const p = { attributes: keyValues(this.attributes), startTimeUnixNano: startNanos, timeUnixNano: endNanos,
      count: String(this.count), sum: this.sum, bucketCounts: this.counts.map(String), explicitBounds: [...this.def.bounds] };
    if (this.exactMinMax && this.count) { p.min = this.min; p.max = this.max; }
    return p;
  }
}

/**
 * Accumulates responses into OTLP histogram data points (one per metric and attribute set) and turns them into an
 * ExportMetricsServiceRequest. Options as reportTo's (without url/transport).
 */
export class OtlpCollector {
  constructor(options = {}) {
    this.options = options;
    this.points = new Map();
    this.responses = 0;
    this.windowStartMs = epochNowMs();
  }

  /** Adds one finished response (its report, and its meter while alive for per-chunk series). Never throws. */
  add(report, meter) {
    try {
      let attrs = baseAttributes(report, this.options);
      if (typeof this.options.attributes === 'function') attrs = this.options.attributes({ ...attrs }, report);
      if (!attrs) return false; // the app dropped this response
      for (const def of OTLP_METRICS) this._addMetric(def, report, meter, attrs);
      this.responses++;
      return true;
    } catch (e) { diag('otlp', e); return false; }
  }

  _point(def, attrs) {
    const key = `${def.name}\u0000${JSON.stringify(keyValues(attrs))}`;
    let p = this.points.get(key);
    if (!p) { p = new Point(def, attrs); this.points.set(key, p); }
    return p;
  }

  _addMetric(def, r, meter, attrs) {
    if (def.streaming && (!r.streamed || r.outcome === 'http-error')) return; // an error body is no stream
    if (def.perceived && (!perceivedOk(r) || r.paintScope === 'first')) return;
    if (def.tokens) {
      // The conventions: from the server's usage only, never counted offline.
      if (finite(r.inputTokens)) this._point(def, { ...attrs, 'gen_ai.token.type': 'input' }).record(r.inputTokens);
      if (r.tokenSource === 'usage' && finite(r.outputTokens)) this._point(def, { ...attrs, 'gen_ai.token.type': 'output' }).record(r.outputTokens);
      return;
    }
    const pointAttrs = def.attributes ? { ...attrs, ...def.attributes(r) } : attrs;
    if (def.series) {
      if (!meter) return;
      const p = this._point(def, pointAttrs);
      p.recordBuckets(meter.bucketCounts(def.series, new Float64Array(p.boundsMs)));
      if (!p.count) this.points.delete(`${def.name}\u0000${JSON.stringify(keyValues(pointAttrs))}`);
      return;
    }
    const v = def.value(r);
    if (finite(v) && v >= 0) this._point(def, pointAttrs).record(v);
  }

  /** Responses added since the last take(). */
  get pending() { return this.responses; }

  /**
   * The ExportMetricsServiceRequest of everything since the previous take() (null when empty), and starts a new
   * window (DELTA temporality).
   */
  take(nowMs = epochNowMs()) {
    const points = [...this.points.values()];
    const start = unixNanos(this.windowStartMs);
    const end = unixNanos(nowMs);
    this.points = new Map();
    this.responses = 0;
    this.windowStartMs = nowMs;
    if (!points.length) return null;
    const metrics = OTLP_METRICS.map((def) => ({ def, pts: points.filter((p) => p.def === def) })).filter((m) => m.pts.length)
      .map(({ def, pts }) => ({ name: def.name, description: def.description, unit: def.unit,
        histogram: { aggregationTemporality: 1, dataPoints: pts.map((p) => p.toJSON(start, end)) } }));
    return { resourceMetrics: [{ resource: { attributes: keyValues(this._resource()) },
      scopeMetrics: [{ scope: { name: 'chat-vitals', version: version() }, metrics }] }] };
  }

  _resource() {
    const o = this.options;
    return { 'service.name': 'unknown_service:browser', 'telemetry.sdk.name': 'chat-vitals', 'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': version(), ...(o.sampleRate !== undefined && o.sampleRate < 1 ? { 'chat_vitals.sample_rate': o.sampleRate } : {}),
      ...(o.resource ?? {}) };
  }
}

function version() {
  try { return core.version(); } catch { return 'unknown'; }
}

/** keepalive bodies are limited to 64 KiB in flight (Fetch Standard); stay under it. */
export const MAX_BODY_BYTES = 60 * 1024;

/** 'beacon' for a same-origin URL without headers, else 'fetch' (keepalive, credentials omitted). */
function transportFor(url, o) {
  if (o.transport === 'beacon' || o.transport === 'fetch') return o.transport;
  if (o.headers && Object.keys(o.headers).length) return 'fetch';
  try { return new URL(url, location.href).origin === location.origin ? 'beacon' : 'fetch'; } catch { return 'fetch'; }
}

/** Sends one JSON body; returns the transport used, or null. Never throws. */
function send(url, body, o) {
  const fetchImpl = o.fetch ?? globalThis.fetch;
  if (transportFor(url, o) === 'beacon') {
    try {
      if (navigator.sendBeacon(url, new Blob([body], { type: 'application/json' }))) return 'beacon';
    } catch (e) { diag('otlp sendBeacon', e); }
  }
  try {
    fetchImpl(url, { method: 'POST', keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'application/json', ...(o.headers ?? {}) }, body })
      .catch((e) => diag('otlp fetch', e));
    return 'fetch';
  } catch (e) { diag('otlp fetch', e); return null; }
}

/** Bodies under MAX_BODY_BYTES: the whole request, or one request per metric when it is larger. */
function bodies(request) {
  const whole = JSON.stringify(request);
  if (whole.length <= MAX_BODY_BYTES) return [whole];
  const [rm] = request.resourceMetrics;
  const [sm] = rm.scopeMetrics;
  return sm.metrics.map((m) => JSON.stringify({ resourceMetrics: [{ ...rm, scopeMetrics: [{ ...sm, metrics: [m] }] }] }))
    .filter((b) => b.length <= MAX_BODY_BYTES || (diag('otlp', `a ${b.length}-byte metric exceeds the keepalive limit; dropped`), false));
}

/**
 * Sends the session's metrics to an OTLP/HTTP endpoint (an OpenTelemetry Collector's `/v1/metrics`) as JSON, when
 * the page is hidden (visibilitychange → hidden, pagehide) and, with `everyResponses: N`, after every N responses.
 * @param {string|URL} url  e.g. 'https://otel.example.com/v1/metrics'
 * @param {{session?: Session, sampleRate?: number, everyResponses?: number, resource?: Record<string, string|number|boolean>,
 *          headers?: Record<string, string>, attributes?: (attrs: object, report: object) => object|null,
 *          model?: string|((report: object) => string|undefined), provider?: string, operationName?: string,
 *          transport?: 'auto'|'beacon'|'fetch', onSend?: (info: {transport: string|null, bytes: number, responses: number}) => void}} [options]
 *   sampleRate: share of page sessions that report (decided once, here; default 1); resource: extra resource
 *   attributes such as {'service.name': 'chat-web'}; headers: sent with fetch (a beacon cannot carry headers);
 *   attributes: rename or drop attributes per response (return the object, or null to drop the response).
 * @returns {{sampled: boolean, collector: OtlpCollector|null, flush: () => boolean, stop: () => void}}
 *   flush() sends what is pending now (true when something was sent); stop() flushes and unsubscribes.
 */
export function reportTo(url, options = {}) {
  try {
    return startReporting(url, options ?? {});
  } catch (e) { // e.g. no document (server-side rendering): never thrown into the app
    diag('otlp', e);
    return { sampled: false, collector: null, flush: () => false, stop: () => {} };
  }
}

function startReporting(url, o) {
  const rate = o.sampleRate ?? 1;
  if (!(Math.random() < rate)) return { sampled: false, collector: null, flush: () => false, stop: () => {} };
  const sess = o.session ?? defaultSession;
  const collector = new OtlpCollector(o);
  const flush = () => {
    try {
      if (!collector.pending) return false;
      const responses = collector.pending;
      const request = collector.take();
      if (!request) return false;
      let sent = false;
      for (const body of bodies(request)) {
        const transport = send(String(url), body, o);
        sent ||= !!transport;
        try { o.onSend?.({ transport, bytes: body.length, responses }); } catch (e) { diag('otlp onSend', e); }
      }
      return sent;
    } catch (e) { diag('otlp', e); return false; }
  };
  const onVisibility = () => { if (document.visibilityState === 'hidden') flush(); };
  document.addEventListener('visibilitychange', onVisibility); // first: without a document nothing is subscribed
  addEventListener('pagehide', flush);
  const unsubscribe = sess._addSink((report, meter, warmup) => {
    if (warmup) return;
    collector.add(report, meter);
    if (o.everyResponses > 0 && collector.pending >= o.everyResponses) flush();
  });
  return {
    sampled: true, collector, flush,
    stop: () => { flush(); unsubscribe(); document.removeEventListener('visibilitychange', onVisibility); removeEventListener('pagehide', flush); },
  };
}
