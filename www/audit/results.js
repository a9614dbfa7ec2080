// Results view: summary table with ratings, percentile spectrum, gap histogram, per-response drill-down, compare.
import { core } from '../kit/index.js';
import { spectrum, bars, fmtMs, drawTimeline } from './plots.js';
import { escapeHtml, unavailableReason } from './report.js';
import { fmtCv, varianceReading } from './variance.js';

/**
 * Rows of the summary table: metric name in the aggregate, label, formatter, and the per-response field that a
 * browser may be unable to measure (its row then says so instead of disappearing).
 */
export const SUMMARY_ROWS = [
  ['ttft', 'TTFT', fmtMs],
  ['perceivedTtft', 'Perceived TTFT (first paint)', fmtMs],
  ['ttfb', 'TTFB (headers)', fmtMs],
  ['gaps', 'Inter-chunk gap (pooled)', fmtMs],
  ['tpot', 'TPOT', fmtMs],
  ['stalls', 'Stalls per response', (v) => fmtNum(v, 0)],
  ['stallLongest', 'Longest stall', fmtMs],
  ['fluidity', 'Fluidity index', (v) => fmtNum(v, 3)],
  ['qoe', 'Reading-pace QoE', (v) => fmtNum(v, 3)],
  ['renderLag', 'Render lag (pooled)', fmtMs],
  ['charsPerPaintMax', 'Largest paint burst (chars)', (v) => fmtNum(v, 0)],
  ['unpaintedFrames', 'Frames with unpainted text', (v) => fmtNum(v, 0)],
  ['longFrames', 'Long animation frames (≥ 50 ms)', (v) => fmtNum(v, 0), 'longFrameCount'],
  ['longFrameBlocking', 'Long-frame blocking time', fmtMs, 'longFrameBlockingMs'],
  ['e2eStreamEnd', 'End-to-end (stream end)', fmtMs],
  ['outputTokensPerSecond', 'Output tokens/s', (v) => fmtNum(v, 1)],
  ['costUsd', 'Cost per response (USD)', fmtUsd],
  ['costPer1kOutputTokens', 'Cost per 1k output tokens (USD)', fmtUsd],
  ['outputTokensPerSecondPerUsd', 'Output tokens/s per USD', (v) => fmtNum(v, 0)],
];

function fmtUsd(v) {
  return v === null || v === undefined ? '–' : `$${Number(v).toPrecision(3)}`;
}
// Spread beside the percentiles: stddev (population, in the metric's unit) and CV = stddev / mean.
const COLS = ['p50', 'p75', 'p90', 'p95', 'p99', 'max', 'mean', 'stddev', 'cv', 'count'];
const COL_LABELS = { stddev: 'stddev', cv: 'CV' };
const UNRATED_COLS = new Set(['mean', 'stddev', 'cv']);

function fmtNum(v, d) {
  return v === null || v === undefined ? '–' : Number(v).toFixed(d);
}

/** The rating of `v`, with the audit's own thresholds for `metric` when it set them (config.ratings). */
function rating(metric, v, overrides) {
  if (v === null || v === undefined) return '';
  try {
    const o = overrides?.[metric];
    if (!o) return core.rate(metric, v) ?? '';
    const higher = core.thresholds()[metric]?.direction === 'higher-is-better';
    const [good, poor] = o;
    if (higher) return v >= good ? 'good' : v >= poor ? 'needs-improvement' : 'poor';
    return v <= good ? 'good' : v <= poor ? 'needs-improvement' : 'poor';
  } catch { return ''; }
}

/** The summary table as an HTML string (also used by the self-contained HTML export). */
export function summaryTableHtml(report) {
  const m = report.summary?.metrics ?? {};
  const overrides = report.config?.ratings;
  const head = `<tr><th>metric</th>${COLS.map((c) => `<th>${COL_LABELS[c] ?? c}</th>`).join('')}</tr>`;
  const rows = SUMMARY_ROWS.filter(([k, , , field]) => m[k]?.count || (field && unavailableReason(report, field))).map(([k, label, f, field]) => {
    const why = field && !m[k]?.count ? unavailableReason(report, field) : null;
    if (why) return `<tr class="unavailable" data-metric="${k}"><td>${escapeHtml(label)}</td><td colspan="${COLS.length}">${escapeHtml(why)}</td></tr>`;
    const s = m[k];
    const cells = COLS.map((c) => {
      if (c === 'count') return `<td>${s.count}${s.outOfRange ? ` (+${s.outOfRange} out of range)` : ''}</td>`;
      const v = s[c];
      if (c === 'cv') return `<td data-col="cv">${escapeHtml(fmtCv(v))}</td>`;
      return `<td data-col="${c}" class="${UNRATED_COLS.has(c) ? '' : rating(k, v, overrides)}">${escapeHtml(f(v))}</td>`;
    }).join('');
    return `<tr data-metric="${k}"><td>${escapeHtml(label)}</td>${cells}</tr>`;
  });
  return `<table class="summary">${head}${rows.join('')}</table>`;
}

/** The variance in plain words ("TTFT varies ±x % between identical requests …") as an HTML list. */
export function varianceHtml(report) {
  const fmt = (v, k) => (SUMMARY_ROWS.find(([m]) => m === k)?.[2] ?? fmtMs)(v);
  const lines = varianceReading(report, fmt);
  return lines.length ? `<ul class="variance">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '';
}

/** The report's plots as SVG elements: the percentile spectrum and the pooled gap histogram. */
export function reportPlots(report) {
  const spec = report.spectra ?? {};
  const series = [['ttft', 'TTFT', '#3b5bdb'], ['perceivedTtft', 'perceived TTFT', '#12b886'], ['gaps', 'gaps', '#f08c00']]
    .filter(([k]) => spec[k]?.length).map(([k, name, color]) => ({ name, color, points: spec[k] }));
  return { spectrum: spectrum(series), gapHistogram: bars(report.gapBins ?? []) };
}

/** "18 stop, 2 length" from the summary's finish-reason counts ('' when none). */
export function finishes(summary) {
  return Object.entries(summary?.finishReasons ?? {}).map(([k, v]) => `${v} ${k}`).join(', ');
}

export function renderResults(report) {
  const section = document.querySelector('#results');
  section.hidden = false;
  const s = report.summary;
  const outcomes = Object.entries(s?.outcomes ?? {}).map(([k, v]) => `${v} ${k}`).join(', ');
  document.querySelector('#results-meta').textContent =
    `${s?.responses ?? 0} responses (${outcomes || 'none'})${finishes(s) ? ` · finish reasons: ${finishes(s)}` : ''}${s?.warmupSkipped ? `, ${s.warmupSkipped} warm-up excluded` : ''}${report.cancelled ? ' · cancelled' : ''}`;
  document.querySelector('#summary').outerHTML = summaryTableHtml(report).replace('<table class="summary">', '<table id="summary" class="summary">');
  document.querySelector('#variance').innerHTML = varianceHtml(report);
  document.querySelector('#run-warnings').innerHTML = (report.warnings ?? []).map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const b = report.budget;
  document.querySelector('#budget').innerHTML = !b ? '' : b.pass
    ? '<p><span class="badge good">budget holds</span></p>'
    : `<p><span class="badge poor">budget fails</span></p><ul>${(b.violations ?? []).map((v) => `<li>${escapeHtml(v.reason)}</li>`).join('')}${b.error ? `<li>${escapeHtml(b.error)}</li>` : ''}</ul>`;
  const plots = reportPlots(report);
  document.querySelector('#spectrum').replaceChildren(plots.spectrum);
  document.querySelector('#gaphist').replaceChildren(plots.gapHistogram);
  renderResponses(report);
}

function renderResponses(report) {
  const t = document.querySelector('#responses');
  const head = '<tr><th>#</th><th>outcome</th><th>TTFT</th><th>perceived</th><th>TPOT</th><th>gap p99</th><th>stalls</th><th>fluidity</th><th>tokens</th><th title="browser-side wait before the request was sent (Resource Timing requestStart − startTime)">queued</th></tr>';
  t.innerHTML = head + report.responses.map((r, i) => `<tr data-i="${i}"><td>${escapeHtml(r.label ?? i + 1)}</td><td>${escapeHtml(r.outcome)}</td>
    <td>${fmtMs(r.ttftMs)}</td><td>${fmtMs(r.perceivedTtftMs)}</td><td>${fmtMs(r.tpotMs)}</td><td>${fmtMs(r.gapP99Ms)}</td>
    <td>${r.stallCount ?? '–'}</td><td>${fmtNum(r.fluidityIndex, 3)}</td><td>${r.outputTokens ?? '–'} <span class="hint">${escapeHtml(r.tokenSource ?? '')}</span></td><td data-col="queued">${fmtMs(r.browserQueueMs)}</td></tr>`).join('');
  t.onclick = (ev) => {
    const row = ev.target.closest('tr[data-i]');
    if (!row) return;
    const r = report.responses[Number(row.dataset.i)];
    drawTimeline(document.querySelector('#timeline'), { chunkOffsetsMs: r.timeline.chunks.map((c) => c.atMs), paintOffsetsMs: r.timeline.paints.map((p) => p.atMs), stallThresholdMs: r.stallThresholdMs ?? 250 });
  };
}

/** Side-by-side percentiles of two reports with deltas (negative = faster for latency metrics). */
export function renderCompare(a, b) {
  const ma = a.summary?.metrics ?? {};
  const mb = b.summary?.metrics ?? {};
  const cols = ['p50', 'p90', 'p95', 'p99'];
  const rows = SUMMARY_ROWS.filter(([k]) => ma[k]?.count && mb[k]?.count).map(([k, label, f]) => {
    const cells = cols.map((c) => {
      const d = ma[k][c] - mb[k][c];
      const higherBetter = ['fluidity', 'qoe', 'outputTokensPerSecond'].includes(k);
      const cls = d === 0 ? '' : (d < 0) !== higherBetter ? 'delta-better' : 'delta-worse';
      return `<td>${escapeHtml(f(mb[k][c]))} → ${escapeHtml(f(ma[k][c]))} <span class="${cls}">(${d > 0 ? '+' : ''}${Number(d).toFixed(2)})</span></td>`;
    }).join('');
    return `<tr><td>${escapeHtml(label)}</td>${cells}</tr>`;
  });
  const html = `<h3>Compare: earlier → this run</h3><table id="compare-table"><tr><th>metric</th>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>${rows.join('')}</table>`;
  document.querySelector('#compare').innerHTML = html;
  return rows.length;
}
