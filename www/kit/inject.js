// The injectable build's entry (bundled by scripts/vendor.mjs into www/dist/chat-vitals-inject.js, wasm embedded):
// instruments an unmodified page from `page.addInitScript()` before the page's own scripts run. It wraps
// window.fetch for requests matching `match` and observes the assistant-message selector `observe`.
// Configuration: window.__CHAT_VITALS__ = { match, observe, ignore, paints, elementTiming, warmup, label, and every MeterOptions key
// (format, formatSource, firstTokenRule, stallThresholdMs, timelineCap, maxLineBytes, fluidity, qoe, cost, ratings) }
// set before this script.
// Results: window.chatVitals.{reports(), summary(), checkBudget(budget), exportHistogram(metric), report(), diagnostics,
// environment() (browser, engine, what it can measure)}.
// The full build: test suites check budgets and export histograms in the page.
import wasmBytes from '../pkg-full/chat_vitals_bg.wasm';
import * as full from '../pkg-full/chat_vitals.js';
import { loadSync, wrapFetch, session, diagnostics, environment } from './index.js';
import { sessionReport } from './merge.js';

const cfg = globalThis.__CHAT_VITALS__ ?? {};
if (loadSync(wasmBytes, full) && typeof globalThis.fetch === 'function') {
  const { matchIsRegExp, match, ...rest } = cfg;
  globalThis.fetch = wrapFetch(globalThis.fetch.bind(globalThis), {
    ...rest,
    match: match ? (matchIsRegExp ? new RegExp(match) : match) : undefined,
    session,
  });
}
globalThis.chatVitals = {
  reports: () => session.reports,
  summary: () => session.summary(),
  checkBudget(budget) {
    if (!session.aggregate) return { pass: false, checked: 0, violations: [], error: 'no response was measured (check `match`)' };
    return session.aggregate.checkBudget(budget);
  },
  exportHistogram: async (metric) => (session.aggregate ? session.aggregate.exportHistogram(metric) : null),
  /** Everything measured as one report (docs/report.schema.json), for merging test shards (merge.mjs, mergeReports). */
  report: () => sessionReport(session, { config: { match: cfg.match ?? null, ...(cfg.firstTokenRule ? { firstTokenRule: cfg.firstTokenRule } : {}) } }),
  diagnostics,
  environment,
};
