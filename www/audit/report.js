// The audit report: one JSON document (schema: docs/report.schema.json), plus CSV, .hlog and a self-contained HTML
// export. Privacy: no prompt or response text and no secret (API key, header values) is included unless the config
// says includeText: true (prompts/answers) — header values and the API key are never included.
import { core } from '../kit/index.js';
import { aggregateFields } from '../kit/merge.js';

export const SCHEMA_ID = 'https://chat-vitals.dev/schema/report-v1.json';
export const SCHEMA_VERSION = 1;

/** Smallest non-zero step of performance.now() seen in a short spin (5 µs when cross-origin isolated). */
export function measureTimerResolutionMs() {
  let best = Infinity;
  let last = performance.now();
  for (let i = 0, seen = 0; i < 200000 && seen < 50; i++) {
    const t = performance.now();
    if (t !== last) { best = Math.min(best, t - last); last = t; seen++; }
  }
  return Number.isFinite(best) ? Math.round(best * 1e6) / 1e6 : null;
}

export function environment() {
  const ua = navigator.userAgent;
  const brand = navigator.userAgentData?.brands?.find((b) => /Chrom/.test(b.brand));
  const m = ua.match(/(?:Chrome|Chromium|Firefox|Version)\/([\d.]+)/);
  return {
    userAgent: ua,
    browser: brand ? brand.brand : (/Firefox/.test(ua) ? 'Firefox' : /Safari/.test(ua) ? 'Safari' : 'unknown'),
    browserVersion: m ? m[1] : (brand?.version ?? null),
    crossOriginIsolated: !!globalThis.crossOriginIsolated,
    timerResolutionMs: measureTimerResolutionMs(),
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
    pageUrl: location.origin + location.pathname,
  };
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

export function buildReport({ config, session, responses, errors, warnings = [], cancelled, durationMs }) {
  const fields = aggregateFields(session.aggregate, { budget: config.budget, errors });
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
  'httpStatus', 'ttftMs', 'perceivedTtftMs', 'ttfbMs', 'e2eLastContentMs', 'e2eStreamEndMs', 'tpotMs', 'gapP50Ms', 'gapP99Ms',
  'stallCount', 'stallTotalMs', 'fluidityIndex', 'qoe', 'renderLagP95Ms', 'charsPerPaintMax', 'unpaintedFrameCount',
  'longFrameCount', 'longFrameBlockingMs', 'perceivedInvalidReason', 'inputTokens', 'outputTokens', 'tokenSource',
  'outputTokensPerSecond', 'costUsd', 'outputTokensPerSecondPerUsd', 'chunkCount',
  'parseErrors', 'browserQueueMs'];

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
th:first-child,td:first-child{text-align:left}.good{color:#0a7c3b}.needs-improvement{color:#b36b00}.poor{color:#c0182f}svg{max-width:100%}</style>
<h1>chat-vitals report</h1><p>${escapeHtml(report.generatedAt)} · ${escapeHtml(report.environment.browser)} ${escapeHtml(report.environment.browserVersion ?? '')} · crossOriginIsolated: ${report.environment.crossOriginIsolated}</p>
${summaryHtml}${plotsSvg}
<script type="application/json" id="chat-vitals-report">${json}</script></html>`;
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
