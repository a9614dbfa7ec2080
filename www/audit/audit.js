// The audit engine: runs N streamed requests (with concurrency and warm-up) through the kit, renders each answer
// as a chat UI would, and returns the report. Used by the page (app.js) and, through the page, by the CLI.
import { begin, loadFull, Session, observe, pump, diagnostics, core } from '../kit/index.js';
import { buildRequest } from './requests.js';
import { buildReport } from './report.js';
import { OtlpCollector } from '../kit/otlp.js';
import { resourceTimings, queueMsOf, concurrencyWarning } from './queueing.js';

/** The audit plots and exports whole answers: keep up to 4096 chunk and paint records (the kit's default is 256). */
const AUDIT_TIMELINE_CAP = 4096;

/** The OTLP ExportMetricsServiceRequest of the last run made with `config.otlp` (else null). */
export let lastOtlpRequest = null;

/**
 * @param {object} config  see DEFAULT_CONFIG in app.js (preset, profile, endpoint, model, prompts, runs, ...)
 * @param {{onProgress?: Function, onResponse?: Function, container?: HTMLElement, signal?: AbortSignal}} hooks
 */
export async function runAudit(config, hooks = {}) {
  if (!(await loadFull())) throw new Error(`chat-vitals wasm failed to load: ${diagnostics.map((d) => d.message).join('; ')}`);
  try {
    new core.Meter(0, meterOptionsOf(config, 'openai-chat')).free(); // the core's rules, before any request
  } catch (e) {
    throw new Error(`invalid measurement options: ${e.message ?? e}`);
  }
  const runs = Math.max(1, config.runs | 0);
  const warmup = Math.max(0, config.warmup | 0);
  const total = runs + warmup;
  const concurrency = Math.max(1, Math.min(config.concurrency | 0 || 1, 32));
  const prompts = config.prompts?.length ? config.prompts : ['Explain how streaming responses work.'];
  const session = new Session({ metrics: config.metrics });
  // config.otlp: the run as the field export would send it (same names, bounds and attributes), for `--otlp FILE`.
  const otlp = config.otlp ? new OtlpCollector({ model: config.model, resource: { 'service.name': 'chat-vitals-audit', 'chat_vitals.source': 'lab' } }) : null;
  if (otlp) session._addSink((report, meter, isWarmup) => { if (!isWarmup) otlp.add(report, meter); });
  const warnings = [];
  const tooMany = concurrencyWarning(Math.min(concurrency, total), buildRequestUrl(config));
  if (tooMany) warnings.push(tooMany);
  const timings = resourceTimings(total);
  const started = performance.now();
  const results = new Array(total);
  const errors = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total && !hooks.signal?.aborted) {
      const i = next++;
      const isWarmup = i < warmup;
      const prompt = prompts[i % prompts.length];
      try {
        results[i] = await runOne({ ...config, prompt }, i, isWarmup, session, hooks, timings);
      } catch (e) {
        errors.push({ index: i, message: String(e.message ?? e) });
      }
      done++;
      const elapsed = performance.now() - started;
      hooks.onProgress?.({ done, total, elapsedMs: elapsed, etaMs: done ? (elapsed / done) * (total - done) : null });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const durationMs = performance.now() - started;
  await timings.match();
  const responses = results.filter(Boolean);
  lastOtlpRequest = otlp ? otlp.take() ?? { resourceMetrics: [] } : null;
  return await buildReport({ config, session, responses, errors, warnings, cancelled: !!hooks.signal?.aborted, durationMs });
}

/** Where the requests of `config` go (for the connection-limit warning); null when it cannot be built. */
function buildRequestUrl(config) {
  try { return buildRequest({ ...config, prompt: '' }, config.simOrigin || location.origin, location.origin).url; } catch { return null; }
}

/**
 * The kit's options from the audit config: how the format was chosen, prices, QoE and fluidity parameters, the stall
 * threshold and rating overrides (MeterOptions; unset keys keep the core's defaults).
 */
export function meterOptionsOf(config, presetFormat) {
  const userFormat = config.format && config.format !== 'auto';
  const o = { format: userFormat ? config.format : presetFormat, formatSource: userFormat ? 'override' : 'preset',
    firstTokenRule: config.firstTokenRule };
  for (const k of ['cost', 'qoe', 'fluidity', 'stallThresholdMs', 'ratings']) if (config[k] != null) o[k] = config[k];
  return o;
}

/** One measured response, rendered into a fresh bubble in `hooks.container` (if given). */
async function runOne(config, index, warmup, session, hooks, timings) {
  const { url, init, format } = buildRequest(config, config.simOrigin || location.origin, location.origin);
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  hooks.signal?.addEventListener('abort', onCancel, { once: true });
  const handle = begin({ ...meterOptionsOf(config, format), session, warmup, url,
    captureText: true, timelineCap: AUDIT_TIMELINE_CAP, label: `#${index + 1}${warmup ? ' (warm-up)' : ''}` });
  handle.markSend();
  const bubble = hooks.container ? newBubble(hooks.container, index, warmup) : null;
  const stopObserving = bubble ? observe(bubble, handle) : () => {};
  hooks.onResponse?.({ index, warmup, state: 'started', handle });
  let res;
  let report = null;
  const fetchAtMs = performance.now();
  try {
    res = await fetch(url, { ...init, signal: controller.signal });
  } catch (e) {
    const r = handle.end(controller.signal.aborted ? 'aborted' : 'error');
    stopObserving();
    hooks.signal?.removeEventListener('abort', onCancel);
    if (!controller.signal.aborted) throw new Error(corsHint(url, e));
    return r;
  }
  const headersAtMs = performance.now();
  handle.headers(res.status, res.headers, headersAtMs);
  let browserQueueMs = null;
  timings.add(url, fetchAtMs, (entry) => {
    browserQueueMs = queueMsOf(entry);
    if (!report) return;
    report.browserQueueMs = browserQueueMs;
    // 'http/1.1' (6 connections per origin) or 'h2'/'h3' (multiplexed); '' when the endpoint hides it.
    report.nextHopProtocol = entry?.nextHopProtocol || null;
  });
  // Render as a chat UI would: append the text that arrived, once per frame.
  let rendering = true;
  const render = () => {
    const text = handle.takeText();
    if (text && bubble) bubble.append(text);
    if (rendering) requestAnimationFrame(render);
  };
  if (bubble) requestAnimationFrame(render);
  const ended = res.body ? await pump(res.body, handle, controller.signal, { end: false }) : { outcome: 'eof', atMs: performance.now() };
  // Let the last text reach the screen before ending, so the final paint is measured.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  rendering = false;
  render();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  stopObserving();
  hooks.signal?.removeEventListener('abort', onCancel);
  report = handle.end(ended.outcome, ended.atMs);
  // Filled in when the audit ends (Resource Timing entries arrive after each response): null until then.
  if (report) { report.browserQueueMs = browserQueueMs; report.nextHopProtocol = null; }
  hooks.onResponse?.({ index, warmup, state: 'done', report });
  return report;
}

function newBubble(container, index, warmup) {
  const b = document.createElement('div');
  b.className = `bubble${warmup ? ' warmup' : ''}`;
  b.dataset.index = String(index);
  container.prepend(b);
  while (container.children.length > 6) container.lastElementChild.remove();
  return b;
}

function corsHint(url, e) {
  let cross = false;
  try { cross = new URL(url).origin !== location.origin; } catch { /* invalid URL */ }
  const base = `request to ${url} failed (${e.message ?? e})`;
  return cross
    ? `${base}. If the endpoint is up, it probably does not allow this page's origin (CORS): it must answer the OPTIONS preflight and send Access-Control-Allow-Origin: ${location.origin} (see README, "CORS").`
    : base;
}

export { core };
