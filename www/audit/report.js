// The audit report: one JSON document (schema: docs/report.schema.json), plus CSV, .hlog and a self-contained HTML
// export. Privacy: no prompt or response text and no secret (API key, header values) is included unless the config
// says includeText: true (prompts/answers) — header values and the API key are never included.
import { core } from '../kit/index.js';
import { environment } from '../kit/environment.js';
import { aggregateFields } from '../kit/merge.js';

export const SCHEMA_ID = 'https://chat-vitals.dev/schema/report-v1.json';
export const SCHEMA_VERSION = 1;

/** The report's environment: browser and engine, isolation, timer resolution, capabilities (www/kit/environment.js). */
export { environment, measureTimerResolutionMs } from '../kit/environment.js';

/** "not available in this browser" and why, for a metric the report's browser cannot measure; null if it can. */
export function unavailableReason(report, field) {
  const env = report?.environment;
  if (!env?.unavailableMetrics?.includes(field)) return null;
  return 'not available in this browser (no Long Animation Frame API)';
}

/** "Firefox 153.0 (Gecko)", "WebKit (WebKit)" → "WebKit": the browser as a reader should read it. */
export function browserLabel(env) {
  if (!env) return 'unknown browser';
  const name = [env.browser, env.browserVersion].filter(Boolean).join(' ');
  return env.engine && env.engine !== env.browser && env.engine !== 'unknown' ? `${name} (${env.engine})` : name;
}

const SECRET_KEYS = new Set(['apiKey']);
/** The config as reported: no API key, header names only, prompts only if includeText. */
export function redactConfig(config) {
  const out = {};
  const sim = (config?.preset ?? 'sim') === 'sim';
  for (const [k, v] of Object.entries(config ?? {})) {
    if (SECRET_KEYS.has(k) || k === 'simOrigin') continue;
    if (k === 'profile' && !sim) continue; // a timing profile only means something for the simulated endpoint
    if (k === 'headers') out.headerNames = Object.keys(v ?? {});
    else if (k === 'prompts') {
      out.promptCount = (v ?? []).length;
      out.distinctPromptCount = new Set(v ?? []).size; // 1 = every request was the same (variance reads as noise)
    }
    else out[k] = v;
  }
  out.apiKeyProvided = !!config?.apiKey;
  if (config?.includeText) out.prompts = config.prompts ?? [];
  return out;
}

export async function buildReport({ config, session, responses, errors, warnings = [], cancelled, durationMs }) {
  const fields = await aggregateFields(session.aggregate, { budget: config.budget, errors });
  return {
    $schema: SCHEMA_ID,
    schema: SCHEMA_VERSION,
    tool: { name: 'chat-vitals', version: core.version() },
    generatedAt: new Date().toISOString(),
    environment: environment(),
    config: redactConfig(config),
    relay: !!config.relay,
    cancelled: !!cancelled,
    durationMs,
    responses,
    ...fields,
    warnings,
    errors,
  };
}

/**
 * The CSV columns, in order. Each is a key of a response report (ResponseReport plus the kit's id/label/warmup and the
 * audit's browserQueueMs), so a cell is exactly `String(report[column])`, empty when the report has null/undefined.
 */
export const CSV_COLUMNS = ['id', 'label', 'warmup', 'outcome', 'format', 'formatDetectedBy', 'firstTokenRule',
  'httpStatus', 'finishReason', 'cutByLength', 'ttftMs', 'perceivedTtftMs', 'ttfbMs', 'e2eLastContentMs', 'e2eStreamEndMs', 'tpotMs', 'gapP50Ms', 'gapP99Ms',
  'stallCount', 'stallTotalMs', 'fluidityIndex', 'qoe', 'renderLagP95Ms', 'charsPerPaintMax', 'unpaintedFrameCount',
  'longFrameCount', 'longFrameBlockingMs', 'perceivedInvalidReason', 'inputTokens', 'outputTokens', 'tokenSource',
  'outputTokensPerSecond', 'costUsd', 'costPer1kOutputTokensUsd', 'outputTokensPerSecondPerUsd', 'chunkCount',
  'parseErrors', 'browserQueueMs', 'nextHopProtocol'];

/** One row per response; a cell is the response report's value under the column's name. */
export function toCsv(report) {
  const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of report.responses) rows.push(CSV_COLUMNS.map((c) => esc(r[c])).join(','));
  return rows.join('\n') + '\n';
}

/** A self-contained HTML file: the summary tables and the report JSON embedded (no external resources). */
export function toHtml(report, summaryHtml, plotsSvg = '') {
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>chat-vitals report</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1d2330}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #dde;text-align:right}
th:first-child,td:first-child,tr.unavailable td{text-align:left}tr.unavailable td+td{color:#6b7280;font-style:italic}.good{color:#0a7c3b}.needs-improvement{color:#b36b00}.poor{color:#c0182f}svg{max-width:100%}</style>
<h1>chat-vitals report</h1><p>${escapeHtml(report.generatedAt)} · ${escapeHtml(browserLabel(report.environment))} · crossOriginIsolated: ${report.environment.crossOriginIsolated}${report.environment.timerResolutionMs ? ` · timer ${escapeHtml(report.environment.timerResolutionMs * 1000)} µs` : ''}</p>
${(report.warnings ?? []).map((w) => `<p class="needs-improvement">Warning: ${escapeHtml(w)}</p>`).join('')}
${summaryHtml}${plotsSvg}
<script type="application/json" id="chat-vitals-report">${json}</script></html>`;
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
