#!/usr/bin/env node
// chat-vitals merge CLI: combines reports (e.g. one per test shard) into one through the HdrHistogram merge and
// writes report.json, report.csv, report.hlog and report.html like an audit run; checks a budget on the result.
// Exit codes: 0 = merged and the budget (if any) holds, 1 = the budget fails, 2 = usage error or an input that
// cannot be merged (named, with the reason; nothing is written).
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './runtime.mjs';
import { summaryLines } from './audit.mjs';
import { mergeReports, MergeError } from '../kit/merge.js';
import { core } from '../kit/core.js';
import { toCsv, toHtml } from '../audit/report.js';
import { summaryTableHtml, varianceHtml, reportPlots } from '../audit/results.js';
import { withSvgDocument } from './svg-dom.mjs';

const USAGE = `usage: node www/cli/merge.mjs REPORT.json... --out DIR [--budget FILE] [--quiet]
  REPORT.json           reports to merge (report.json of audit runs or collect()-built reports of test shards)
  --out DIR             output directory for the merged report.json, .csv, .hlog, .html (required)
  --budget FILE         JSON budget, e.g. {"ttft.p95": 1000}, checked on the merged histograms; exit 1 when it fails
  --quiet               print only the verdict lines`;

class UsageError extends Error {}

function args(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true,
      options: { out: { type: 'string' }, budget: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError(e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown argument ${/'([^']+)'/.exec(e.message)?.[1] ?? ''}` : e.message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (!positionals.length) throw new UsageError('give at least one REPORT.json');
  if (!values.out) throw new UsageError('--out DIR is required');
  return { files: positionals, out: values.out, budgetFile: values.budget, quiet: !!values.quiet };
}

/** Each file parsed; a file that cannot be read or is not JSON is a MergeError naming it. */
function readReports(files) {
  return files.map((f) => {
    let text;
    try { text = readFileSync(f, 'utf8'); } catch (e) { throw new MergeError(f, `cannot read it (${e.code ?? e.message})`); }
    try { return JSON.parse(text); } catch (e) { throw new MergeError(f, `not a chat-vitals report (not JSON: ${e.message})`); }
  });
}

function readBudget(f) {
  try { return JSON.parse(readFileSync(f, 'utf8')); } catch (e) { throw new UsageError(`cannot read budget ${f}: ${e.message}`); }
}

/** The merged report's exports, as the audit page writes them (its plots rendered without a browser). */
export function exportsOf(report) {
  const plots = withSvgDocument(() => {
    const p = reportPlots(report);
    return `<div class="plots"><figure><figcaption>Percentile spectrum (latency vs percentile, log 1/(1−p) axis)</figcaption><div id="spectrum">${p.spectrum.outerHTML}</div></figure><figure><figcaption>Inter-chunk gaps, all responses pooled</figcaption><div id="gaphist">${p.gapHistogram.outerHTML}</div></figure></div>`;
  });
  return { json: JSON.stringify(report, null, 2), csv: toCsv(report), hlog: report.hlog, html: toHtml(report, summaryTableHtml(report) + varianceHtml(report), plots) };
}

function budgetProblem(budget) {
  const agg = new core.Aggregate();
  try { agg.checkBudget(budget); return null; } catch (e) { return e.message; } finally { agg.free(); }
}

export async function main(argv) {
  let a;
  try {
    a = args(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message ? `chat-vitals merge: ${e.message}\n${USAGE}` : USAGE);
    return 2;
  }
  let merged;
  try {
    const budget = a.budgetFile ? readBudget(a.budgetFile) : undefined;
    const reports = readReports(a.files);
    const wasm = readFileSync(join(REPO, 'www', 'pkg-full', 'chat_vitals_bg.wasm'));
    merged = await mergeReports(reports, { budget, sources: a.files, wasm });
    const why = budget && budgetProblem(budget);
    if (why) throw new UsageError(`invalid budget: ${why}`);
  } catch (e) {
    if (!(e instanceof MergeError || e instanceof UsageError)) throw e;
    console.error(`chat-vitals merge: ${e.message}`);
    return 2;
  }
  const ex = exportsOf(merged);
  const dir = resolve(a.out);
  mkdirSync(dir, { recursive: true });
  for (const [kind, name] of [['json', 'report.json'], ['csv', 'report.csv'], ['hlog', 'report.hlog'], ['html', 'report.html']]) {
    writeFileSync(join(dir, name), ex[kind]);
  }
  if (!a.quiet) {
    console.log(`merged ${a.files.length} reports`);
    for (const line of summaryLines(merged)) console.log(line);
    console.log(`report: ${join(dir, 'report.json')} (+ report.csv, report.hlog, report.html)`);
  }
  const b = merged.budget;
  if (!b) return 0;
  if (b.pass) { console.log('budget: pass'); return 0; }
  console.log('budget: FAIL');
  for (const v of b.violations ?? []) console.log(`  - ${v.reason}`);
  if (b.error) console.log(`  - ${b.error}`);
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => { console.error(`chat-vitals merge: ${e.stack ?? e}`); process.exit(2); });
}
