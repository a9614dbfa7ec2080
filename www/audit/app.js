// The audit page controller: form → runAudit → results, exports and compare. Exposes window.chatVitalsAudit for the
// headless CLI and the tests (run(config) → report, cancel()).
import { runAudit, lastOtlpRequest } from './audit.js';
import { loadFull, core } from '../kit/index.js';
import { PRESETS, SIM_PROFILES, parseHeaderLines } from './requests.js';
import { toCsv, toHtml, environment, browserLabel, escapeHtml } from './report.js';
import { renderResults, renderCompare, summaryTableHtml, varianceHtml } from './results.js';
import { drawTimeline } from './plots.js';
import { NUMERIC_OPTIONS, PRICES_OPTION, RATING_OPTION, OptionError, readOptions, checkRatings } from './options.js';
import { concurrencyWarning } from './queueing.js';
import { buildRequest } from './requests.js';

const $ = (s) => document.querySelector(s);
const form = $('#config');
const params = new URLSearchParams(location.search);
const simOrigin = params.get('api') || location.origin; // ?api=<origin> points the simulated preset elsewhere
let current = null; // { controller }
let lastReport = null;

for (const [k, p] of Object.entries(PRESETS)) form.preset.append(new Option(p.label, k));
for (const p of SIM_PROFILES) form.profile.append(new Option(p, p));
$('#origin').textContent = location.origin;

function syncPreset() {
  const sim = form.preset.value === 'sim';
  $('#profile-row').hidden = !sim;
  $('#endpoint-row').hidden = sim;
  $('#key-row').hidden = sim || form.preset.value === 'ollama';
  $('#cors-note').hidden = sim && simOrigin === location.origin;
  syncConcurrency();
}

/** Warns, before the run, when the concurrency exceeds the browser's HTTP/1.1 connections per origin. */
function syncConcurrency() {
  let url = null;
  try { url = buildRequest({ preset: form.preset.value, endpoint: form.endpoint.value, prompt: '' }, simOrigin, location.origin).url; } catch { /* no endpoint yet */ }
  const msg = concurrencyWarning(Math.min(Number(form.concurrency.value), Number(form.runs.value) + Number(form.warmup.value)), url);
  $('#concurrency-warning').hidden = !msg;
  $('#concurrency-warning').textContent = msg ? `Warning: ${msg}.` : '';
}
form.preset.addEventListener('change', syncPreset);
for (const name of ['concurrency', 'runs', 'warmup', 'endpoint']) form.elements.namedItem(name).addEventListener('input', syncConcurrency);
syncPreset();

(async () => {
  const ok = await loadFull();
  const env = environment();
  $('#env').innerHTML = ok
    ? `v${core.version()} · ${escapeHtml(browserLabel(env))} · <span class="${env.crossOriginIsolated ? 'ok' : 'warn'}">crossOriginIsolated: ${env.crossOriginIsolated}</span> · timer ${(env.timerResolutionMs * 1000).toFixed(0)} µs${env.unavailableMetrics.length ? ' · <span class="warn">long frames: not available in this browser</span>' : ''}`
    : '<span class="warn">wasm failed to load</span>';
})();

/** The form's label text for a field (errors name the field the user can see). */
function labelOf(field) {
  const el = form.elements.namedItem(field);
  return el?.closest('label')?.firstChild?.textContent?.trim() || field;
}

/**
 * The form as an audit config (the API key stays in this object only, in memory). Throws an Error naming the field
 * when a measurement option is invalid.
 */
async function readForm() {
  const f = new FormData(form);
  const preset = f.get('preset');
  const raw = { ratings: String(f.get('ratings') || '').split('\n') };
  for (const o of NUMERIC_OPTIONS) raw[o.field] = f.get(o.field);
  const pricesFile = f.get('pricesFile');
  let options;
  try {
    if (pricesFile && pricesFile.size) {
      try { raw.prices = JSON.parse(await pricesFile.text()); } catch (e) { throw new OptionError(PRICES_OPTION, `is not JSON: ${e.message}`); }
    }
    options = readOptions(raw, { model: f.get('model') || 'sim-model' });
    checkRatings(options.ratings, core.thresholds());
  } catch (e) {
    if (e instanceof OptionError) throw new Error(`${labelOf(e.field)}: ${e.message.slice(e.flag.length + 1)} (CLI ${e.flag})`);
    throw e;
  }
  return {
    preset,
    ...(preset === 'sim' ? { profile: f.get('profile') } : {}),
    endpoint: f.get('endpoint') || '',
    model: f.get('model') || '',
    prompts: String(f.get('prompts') || '').split('\n').map((s) => s.trim()).filter(Boolean),
    apiKey: f.get('apiKey') || '',
    headers: parseHeaderLines(f.get('headers')),
    firstTokenRule: f.get('firstTokenRule'),
    format: f.get('format'),
    runs: Number(f.get('runs')),
    concurrency: Number(f.get('concurrency')),
    warmup: Number(f.get('warmup')),
    relay: f.get('relay') === 'on',
    ...options,
  };
}

function showError(msg) {
  const e = $('#error');
  e.hidden = !msg;
  e.textContent = msg || '';
}

function progress({ done, total, etaMs }) {
  $('#progress').max = total;
  $('#progress').value = done;
  $('#progress-text').textContent = `${done}/${total}${etaMs != null && done < total ? ` · ETA ${(etaMs / 1000).toFixed(1)} s` : ''}`;
  window.__cvProgress?.({ done, total, etaMs });
}

/** Live timeline of the response being watched, redrawn at 5 Hz: the page must not perturb what it measures
 * (a per-frame report() + canvas redraw measurably delayed chunk timestamps on a 2-core machine). */
function watch(handle) {
  const canvas = $('#timeline');
  const draw = () => {
    const r = handle.report?.();
    if (r) drawTimeline(canvas, { chunkOffsetsMs: r.timeline.chunks.map((c) => c.atMs), paintOffsetsMs: r.timeline.paints.map((p) => p.atMs), stallThresholdMs: r.stallThresholdMs ?? 250 });
  };
  const timer = setInterval(() => requestAnimationFrame(draw), 200);
  return () => { clearInterval(timer); draw(); };
}

/** Shows a config that did not come from the form (the CLI's) in the form, so what the page shows is what ran. */
function showConfig(config) {
  for (const name of ['preset', 'profile', 'endpoint', 'model', 'firstTokenRule', 'format', 'runs', 'concurrency', 'warmup']) {
    const el = form.elements.namedItem(name);
    const value = config[name] == null ? null : String(config[name]);
    // A select only takes one of its options (an unknown value would blank it).
    if (el && value !== null && (!el.options || [...el.options].some((o) => o.value === value))) el.value = value;
  }
  if (Array.isArray(config.prompts) && config.prompts.length) form.elements.namedItem('prompts').value = config.prompts.join('\n');
  form.elements.namedItem('relay').checked = !!config.relay;
  for (const o of NUMERIC_OPTIONS) {
    const v = o.path.reduce((x, k) => x?.[k], config);
    form.elements.namedItem(o.field).value = v == null ? '' : String(v);
  }
  form.elements.namedItem(RATING_OPTION.field).value = Object.entries(config.ratings ?? {}).map(([k, [g, p]]) => `${k}=${g},${p}`).join('\n');
  syncPreset(); // a preset set here fires no change event: show the rows that belong to it (no profile for a real endpoint)
}

/** Runs an audit. Used by the Run button, the CLI and the tests. */
async function run(config) {
  if (current) throw new Error('an audit is already running');
  try { showConfig(config); } catch (e) { console.warn('chat-vitals: cannot show the config in the form', e); }
  const controller = new AbortController();
  current = { controller };
  showError('');
  $('#run').disabled = true;
  $('#cancel').disabled = false;
  $('#bubbles').replaceChildren();
  let stopWatch = () => {};
  try {
    const report = await runAudit({ simOrigin, ...config }, {
      container: $('#bubbles'),
      signal: controller.signal,
      onProgress: progress,
      onResponse: ({ state, handle }) => {
        if (state === 'started') { stopWatch(); stopWatch = watch(handle); }
      },
    });
    lastReport = report;
    renderResults(report);
    if (report.errors.length) showError(report.errors.map((e) => e.message).join('\n'));
    return report;
  } catch (e) {
    showError(String(e.message ?? e));
    throw e;
  } finally {
    stopWatch();
    current = null;
    $('#run').disabled = false;
    $('#cancel').disabled = true;
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  readForm().then(run, (e) => showError(String(e.message ?? e))).catch(() => {});
});
$('#cancel').addEventListener('click', () => current?.controller.abort());

function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Export formats; also used by the CLI through window.chatVitalsAudit.exports(). */
function exportsOf(report) {
  return {
    json: JSON.stringify(report, null, 2),
    csv: toCsv(report),
    hlog: report.hlog,
    html: toHtml(report, summaryTableHtml(report) + varianceHtml(report), document.querySelector('#results .plots')?.outerHTML ?? ''),
  };
}

document.querySelectorAll('[data-export]').forEach((b) => b.addEventListener('click', () => {
  if (!lastReport) return;
  const kind = b.dataset.export;
  const ex = exportsOf(lastReport);
  const types = { json: 'application/json', csv: 'text/csv', hlog: 'text/plain', html: 'text/html' };
  const names = { json: 'report.json', csv: 'report.csv', hlog: 'report.hlog', html: 'report.html' };
  download(names[kind], ex[kind], types[kind]);
}));

$('#compare-file').addEventListener('change', async (ev) => {
  const file = ev.target.files?.[0];
  if (!file || !lastReport) return;
  try {
    renderCompare(lastReport, JSON.parse(await file.text()));
  } catch (e) {
    showError(`cannot compare: ${e.message ?? e}`);
  }
});

window.chatVitalsAudit = {
  run,
  cancel: () => current?.controller.abort(),
  get lastReport() { return lastReport; },
  exports: () => (lastReport ? exportsOf(lastReport) : null),
  otlp: () => lastOtlpRequest,
  compare: (other) => renderCompare(lastReport, other),
  ready: loadFull(),
};
