// mergeReports(): N chat-vitals reports (e.g. one per test shard) → one, through the HdrHistogram merge. Every
// metric's histogram is merged bucket for bucket and the summary, spectra, bins and budget are computed from the
// merged histograms, never from the inputs' percentiles. Not part of the default entry: import 'chat-vitals/merge'.
import { loadFull, core, diagnostics } from './core.js';
import { environment } from './environment.js';

/** The report schema version this build reads and writes (docs/report.schema.json). */
export const REPORT_SCHEMA_VERSION = 1;

/** An input that cannot be merged; `source` names it and `reason` says why. Nothing was merged. */
export class MergeError extends Error {
  constructor(source, reason) {
    super(`${source}: ${reason}`);
    this.name = 'MergeError';
    this.source = source;
    this.reason = reason;
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A report of no response at all: no aggregate was made (summary null). */
const isEmpty = (report) => report.summary === null && report.responses.length === 0;

/** Throws MergeError unless `report` looks like a chat-vitals report of this schema version. */
export function checkReport(report, source) {
  const fail = (reason) => { throw new MergeError(source, reason); };
  if (!isObject(report)) fail('not a chat-vitals report (not a JSON object)');
  if (report.tool?.name !== 'chat-vitals' || !('schema' in report)) fail('not a chat-vitals report (no tool "chat-vitals" and schema version)');
  if (report.schema !== REPORT_SCHEMA_VERSION) fail(`report schema version ${JSON.stringify(report.schema)}; this build reads version ${REPORT_SCHEMA_VERSION}`);
  if (!Array.isArray(report.responses)) fail('the report has no responses array');
  if (isEmpty(report)) return; // a shard that measured nothing (e.g. a test that never chatted) merges as nothing
  if (!isObject(report.summary)) fail('the report has no summary (no response was aggregated)');
  if (!isObject(report.histograms)) fail('the report has no histograms');
}

/** Settings that must agree for the merged numbers to mean one thing. */
function checkCompatible(reports, sources) {
  const rule = (r) => r.config?.firstTokenRule ?? r.responses.find((x) => x.firstTokenRule)?.firstTokenRule ?? null;
  const k = reports.findIndex((r) => !isEmpty(r));
  const first = k < 0 ? null : rule(reports[k]);
  reports.forEach((r, i) => {
    const mine = isEmpty(r) ? null : rule(r);
    if (first && mine && mine !== first) {
      throw new MergeError(sources[i], `first-token rule ${mine} differs from ${sources[k]}'s ${first}: TTFT would mix definitions`);
    }
  });
}

/** Earliest interval start of the inputs' .hlog (`#[StartTime: <s> …]`), else now. */
function hlogStartEpochS(reports) {
  const starts = reports.map((r) => Number(/#\[StartTime: ([\d.]+)/.exec(r.hlog ?? '')?.[1])).filter(Number.isFinite);
  return starts.length ? Math.min(...starts) : Date.now() / 1000;
}

/**
 * The report fields an aggregate determines (shared by the audit page's reports and merged ones):
 * {summary, histograms, hlog, spectra, gapBins, budget}. Problems are pushed to `errors` as {index: null, message}.
 * Resolves once the histograms are compressed (`HISTF…` is DEFLATE through the platform's CompressionStream).
 */
export async function aggregateFields(agg, { budget, startEpochS = Date.now() / 1000, errors = [] } = {}) {
  const out = { summary: null, histograms: {}, hlog: '', spectra: {}, gapBins: [], budget: null };
  if (!agg) return out;
  try {
    out.summary = agg.summary();
    [out.histograms, out.hlog] = await Promise.all([agg.exportHistograms(), agg.toHlog(startEpochS)]);
  } catch (e) {
    errors.push({ index: null, message: `aggregate export failed: ${e.message ?? e}` });
  }
  if (budget) {
    try { out.budget = agg.checkBudget(budget); } catch (e) { out.budget = { pass: false, checked: 0, violations: [], error: String(e.message ?? e) }; }
  }
  try {
    for (const m of ['ttft', 'perceivedTtft', 'gaps']) out.spectra[m] = agg.spectrum(m).map((p) => ({ percentile: p.percentile, valueMs: p.value }));
    out.gapBins = agg.logBins('gaps', 24).map((b) => ({ fromMs: b.from, toMs: b.to, count: b.count }));
  } catch (e) {
    errors.push({ index: null, message: `plot data failed: ${e.message ?? e}` });
  }
  return out;
}

/**
 * A report (the audit report's schema) of everything `session` measured in this page: what a test shard writes so
 * that a final job can merge the shards (chat-vitals/playwright `writeReport`, the injected `chatVitals.report()`).
 * @param {Session} session
 * @param {{config?: object, budget?: object}} [options]  config: recorded as the report's config (no secrets!)
 * @returns {Promise<object>}
 */
export async function sessionReport(session, { config = {}, budget } = {}) {
  const errors = [];
  const responses = [...session.reports];
  const first = responses.length ? Math.min(...responses.map((r) => r.requestStartUnixMs)) : Date.now();
  return {
    $schema: 'https://chat-vitals.dev/schema/report-v1.json',
    schema: REPORT_SCHEMA_VERSION,
    tool: { name: 'chat-vitals', version: core.version() },
    generatedAt: new Date().toISOString(),
    environment: environment(),
    config: { firstTokenRule: responses[0]?.firstTokenRule ?? 'first-content', ...config },
    relay: false,
    cancelled: false,
    durationMs: Math.max(0, Date.now() - first),
    responses,
    ...(await aggregateFields(session.aggregate, { budget, startEpochS: first / 1000, errors })),
    errors,
  };
}

/** Merges every input's histograms and counters into `agg`; rejects with a MergeError naming the first bad input. */
async function mergeInto(agg, reports, sources) {
  for (const [i, r] of reports.entries()) {
    if (isEmpty(r)) continue;
    for (const [metric, encoded] of Object.entries(r.histograms)) {
      if (typeof encoded !== 'string') throw new MergeError(sources[i], `histogram ${metric} is not a HISTF… string`);
      try { await agg.mergeHistogram(metric, encoded); } catch (e) { throw new MergeError(sources[i], `histogram ${metric}: ${e.message ?? e}`); }
    }
    try { agg.importCounts(r.summary); } catch (e) { throw new MergeError(sources[i], `summary counts: ${e.message ?? e}`); }
  }
}

/**
 * Merges chat-vitals reports into one report of the same schema.
 * @param {object[]} reports  parsed report.json documents
 * @param {{budget?: object, sources?: string[], wasm?: string|URL|BufferSource}} [options]
 *   budget: checked against the merged histograms (result in `.budget`); sources: names used in errors (default
 *   "report 1", …); wasm: where loadFull() finds the full build's wasm (bytes in Node; merging needs the full build).
 * @returns {Promise<object>} the merged report; `merged.from` lists the inputs.
 * @throws {MergeError} for an input that is no report, has another schema version, other histogram settings or
 *   another first-token rule (naming it; nothing is merged); Error when the wasm cannot load.
 */
export async function mergeReports(reports, { budget, sources, wasm } = {}) {
  const names = sources ?? reports.map((_, i) => `report ${i + 1}`);
  if (!Array.isArray(reports) || !reports.length) throw new MergeError('input', 'no reports to merge');
  reports.forEach((r, i) => checkReport(r, names[i]));
  checkCompatible(reports, names);
  if (!(await loadFull(undefined, wasm))) throw new Error(`chat-vitals wasm failed to load: ${diagnostics.map((d) => d.message).join('; ')}`);
  const agg = new core.Aggregate();
  try {
    await mergeInto(agg, reports, names);
    const errors = reports.flatMap((r, i) => (r.errors ?? []).map((e) => ({ ...e, message: `${names[i]}: ${e.message}` })));
    const fields = await aggregateFields(agg, { budget, startEpochS: hlogStartEpochS(reports), errors });
    return mergedReport(reports, names, fields, errors);
  } finally {
    agg.free();
  }
}

function mergedReport(reports, names, fields, errors) {
  const [first] = reports;
  return {
    $schema: first.$schema,
    schema: REPORT_SCHEMA_VERSION,
    tool: { name: 'chat-vitals', version: core.version() },
    generatedAt: new Date().toISOString(),
    environment: first.environment,
    config: first.config,
    relay: reports.some((r) => !!r.relay),
    cancelled: reports.some((r) => !!r.cancelled),
    // Shards run side by side: the merged run took as long as its longest shard.
    durationMs: Math.max(...reports.map((r) => r.durationMs ?? 0)),
    responses: reports.flatMap((r) => r.responses),
    ...fields,
    errors,
    merged: {
      from: reports.map((r, i) => ({
        source: names[i], generatedAt: r.generatedAt ?? null, responses: r.summary?.responses ?? 0,
        toolVersion: r.tool?.version ?? null, environment: r.environment ?? null,
      })),
    },
  };
}
