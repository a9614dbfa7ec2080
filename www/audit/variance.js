// Variance in plain words, for the results table, the HTML report and the CLI summary. Pure functions over a report
// (no DOM, no kit): the CLI imports this file in Node.

/** Per-response metrics whose spread between requests is worth a sentence: [aggregate name, what to call it]. */
export const READING_METRICS = [
  ['ttft', 'TTFT'],
  ['perceivedTtft', 'Perceived TTFT'],
  ['tpot', 'TPOT'],
  ['e2eStreamEnd', 'End-to-end time'],
  ['outputTokensPerSecond', 'Output speed'],
];

/** CV (stddev / mean) as a percentage string, e.g. 0.1234 → "12.3 %"; '–' when undefined. */
export function fmtCv(cv) {
  return cv === null || cv === undefined || !Number.isFinite(cv) ? '–' : `${(cv * 100).toFixed(1)} %`;
}

/**
 * True when every measured request was the same request: one distinct prompt (the config says how many distinct
 * prompts it had; a report without the count falls back to the prompt count).
 */
export function identicalRequests(report) {
  const c = report.config ?? {};
  const distinct = c.distinctPromptCount ?? c.promptCount;
  return distinct === 1;
}

/**
 * One sentence per metric with a CV, e.g. "TTFT varies ±12 % between identical requests (σ 15.0 ms around a mean of
 * 125 ms, 20 responses)". With several different prompts the spread is between requests, not a repeat's noise.
 * @param {object} report  an audit report (summary.metrics from the aggregate)
 * @param {(v: number, metric: string) => string} fmt  formats a value of `metric` in its unit
 */
export function varianceReading(report, fmt) {
  const m = report.summary?.metrics ?? {};
  const same = identicalRequests(report);
  const between = same ? 'between identical requests' : `between requests (${report.config?.distinctPromptCount ?? 'several'} different prompts, so part of it is the prompts' own difference)`;
  const lines = [];
  for (const [k, label] of READING_METRICS) {
    const s = m[k];
    if (!s || !(s.count >= 2) || s.cv === null || s.cv === undefined || !Number.isFinite(s.cv)) continue;
    const f = (v) => `${fmt(v, k)}${s.unit && s.unit !== 'ms' ? ` ${s.unit}` : ''}`;
    lines.push(`${label} varies ±${(s.cv * 100).toFixed(s.cv < 0.1 ? 1 : 0)} % ${between} (σ ${f(s.stddev)} around a mean of ${f(s.mean)}, ${s.count} responses)`);
  }
  return lines;
}
