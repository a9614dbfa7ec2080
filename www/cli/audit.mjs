#!/usr/bin/env node
// chat-vitals audit CLI: serves the page, drives it in headless Chromium against an endpoint (the built-in simulated
// one by default), prints the summary and writes report.json, report.csv, report.hlog, report.html, screenshot.png.
// Exit codes: 0 = done and the budget (if any) holds, 1 = the budget fails, 2 = usage error or unreachable endpoint.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { startServer, launchBrowser, ENGINES, REPO, SERVER_BIN } from './runtime.mjs';
import { browserLabel } from '../audit/report.js';
import { NUMERIC_OPTIONS, OptionError, readOptions, checkRatings } from '../audit/options.js';
import { varianceReading, fmtCv } from '../audit/variance.js';
import { concurrencyWarning } from '../audit/queueing.js';

const USAGE = `usage: node www/cli/audit.mjs [options]
  --endpoint URL        endpoint base URL (default: the built-in simulated endpoint)
  --preset NAME         sim | openai-chat | openai-responses | anthropic | ollama | ai-sdk (default: sim, or openai-chat with --endpoint)
  --format NAME         wire format override (default: auto)
  --profile NAME        simulated endpoint timing profile: realistic, steady, bursty, stalls, slow-start, heavy-tail, scripted
  --model NAME          model name sent to the endpoint
  --prompt TEXT         a prompt (repeatable); --prompts-file FILE reads one per line
  --runs N              measured responses (default 20)
  --concurrency N       parallel requests (default 2)
  --warmup N            warm-up responses excluded from aggregates (default 1)
  --header "Name: value"  extra request header (repeatable); "Name: $VAR" reads the value from the environment
  --api-key-env VAR     read the API key from environment variable VAR (keys never go in argv or reports)
  --first-token-rule R  first-content (default), first-choices, first-event, first-byte, first-answer
  --budget FILE         JSON budget, e.g. {"ttft.p95": 1000, "stalls.max": 0}; exit 1 when it fails
  --out DIR             output directory (default out/)
  --max-tokens N        max tokens per answer
  --relay               send requests through the same-origin relay (http:// endpoints without CORS; adds a hop)
  --otlp FILE           also write the run as an OTLP/HTTP JSON ExportMetricsServiceRequest (the names, bounds and
                        attributes reportTo() sends from the field; service.name chat-vitals-audit)
  --browser NAME        chromium (default), firefox or webkit: the engine that runs the page (README "Browsers");
                        the progress line is shown in Chromium only
  --quiet               no progress line
measurement options (reports, summary and budgets use them):
${NUMERIC_OPTIONS.map((o) => `  ${`${o.flag} N`.padEnd(30)}${o.unit}`).join('\n')}
  --prices FILE                 JSON prices keyed by model: {"<model>": {"inputUsdPerMtok": n, "outputUsdPerMtok": n}}, "*" for any
  --rating METRIC=GOOD,POOR     rating thresholds for one metric, e.g. ttft=800,1800 (repeatable)`;

class UsageError extends Error {}

/** `--flag VALUE` must be an integer >= min. */
const int = (min) => (v, flag) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
};

const readPrompts = (f) => {
  try { return readFileSync(f, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean); } catch (e) { throw new UsageError(`cannot read ${f}: ${e.message}`); }
};

const readPrices = (f) => {
  try { return JSON.parse(readFileSync(f, 'utf8')); } catch (e) { throw new UsageError(`--prices: cannot read ${f}: ${e.message}`); }
};

const readBudget = (f) => {
  try { return JSON.parse(readFileSync(f, 'utf8')); } catch (e) { throw new UsageError(`cannot read budget ${f}: ${e.message}`); }
};

/** "Name: value", or "Name: $VAR" read from the environment. */
function header(h, env) {
  const k = h.indexOf(':');
  if (k <= 0) throw new UsageError(`--header needs "Name: value", got ${JSON.stringify(h)}`);
  let v = h.slice(k + 1).trim();
  if (v.startsWith('$')) {
    if (env[v.slice(1)] === undefined) throw new UsageError(`--header ${h.slice(0, k)}: environment variable ${v.slice(1)} is not set`);
    v = env[v.slice(1)];
  }
  return [h.slice(0, k).trim(), v];
}

/** One of ENGINES, else a usage error naming the flag and the valid engines. */
function engine(name, flag) {
  if (!ENGINES.includes(name)) throw new UsageError(`${flag} needs one of ${ENGINES.join(', ')}, got ${JSON.stringify(name)}`);
  return name;
}

function apiKey(name, env) {
  if (env[name] === undefined) throw new UsageError(`--api-key-env: environment variable ${name} is not set`);
  return env[name];
}

/**
 * Every flag: its node:util parseArgs type and how its value lands in the config (`set(config, value, flag, env)`,
 * applied in command-line order, so repeated --prompt / --prompts-file keep their order). Add a flag here and in USAGE.
 */
const FLAGS = {
  endpoint: { type: 'string', set: (c, v) => { c.endpoint = v; } },
  preset: { type: 'string', set: (c, v) => { c.preset = v; } },
  format: { type: 'string', set: (c, v) => { c.format = v; } },
  profile: { type: 'string', set: (c, v) => { c.profile = v; } },
  model: { type: 'string', set: (c, v) => { c.model = v; } },
  prompt: { type: 'string', set: (c, v) => { c.prompts.push(v); } },
  'prompts-file': { type: 'string', set: (c, v) => { c.prompts.push(...readPrompts(v)); } },
  runs: { type: 'string', set: (c, v, f) => { c.runs = int(1)(v, f); } },
  concurrency: { type: 'string', set: (c, v, f) => { c.concurrency = int(1)(v, f); } },
  warmup: { type: 'string', set: (c, v, f) => { c.warmup = int(0)(v, f); } },
  'max-tokens': { type: 'string', set: (c, v, f) => { c.maxTokens = int(1)(v, f); } },
  header: { type: 'string', set: (c, v, _f, env) => { const [k, val] = header(v, env); c.headers[k] = val; } },
  'api-key-env': { type: 'string', set: (c, v, _f, env) => { c.apiKey = apiKey(v, env); } },
  'first-token-rule': { type: 'string', set: (c, v) => { c.firstTokenRule = v; } },
  budget: { type: 'string', set: (c, v) => { c.budget = readBudget(v); } },
  out: { type: 'string', set: (c, v) => { c.out = v; } },
  otlp: { type: 'string', set: (c, v) => { c.otlpFile = v; } },
  quiet: { type: 'boolean', set: (c) => { c.quiet = true; } },
  relay: { type: 'boolean', set: (c) => { c.relay = true; } },
  browser: { type: 'string', set: (c, v, f) => { c.browser = engine(v, f); } },
  ...Object.fromEntries(NUMERIC_OPTIONS.map((o) => [o.flag.slice(2), { type: 'string', set: (c, v) => { c.rawOptions[o.field] = v; } }])),
  prices: { type: 'string', set: (c, v) => { c.rawOptions.prices = readPrices(v); } },
  rating: { type: 'string', set: (c, v) => { c.rawOptions.ratings.push(v); } },
  help: { type: 'boolean', short: 'h', set: () => { throw new UsageError(''); } },
};

/** node:util parseArgs' errors, reworded to name the flag the way the rest of the CLI does. */
function usageErrorFrom(e) {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  const flag = quoted.split(' ')[0];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(FLAGS[flag.replace(/^--/, '')]?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value`);
    default: return null;
  }
}

function tokensOf(argv) {
  const options = Object.fromEntries(Object.entries(FLAGS).map(([name, { type, short }]) => [name, { type, multiple: true, ...(short ? { short } : {}) }]));
  try {
    return nodeParseArgs({ args: argv, options, strict: true, allowPositionals: false, tokens: true }).tokens;
  } catch (e) {
    throw usageErrorFrom(e) ?? e;
  }
}

export function parseArgs(argv, env = process.env) {
  const c = { runs: 20, concurrency: 2, warmup: 1, out: 'out', prompts: [], headers: {}, format: 'auto', firstTokenRule: 'first-content', browser: 'chromium',
    rawOptions: { ratings: [] } };
  for (const t of tokensOf(argv)) {
    if (t.kind === 'option') FLAGS[t.name].set(c, t.value, t.rawName, env);
  }
  c.preset ??= c.endpoint ? 'openai-chat' : 'sim';
  if (c.preset !== 'sim' && !c.endpoint) throw new UsageError(`--preset ${c.preset} needs --endpoint`);
  // A timing profile belongs to the simulated endpoint only: a real endpoint's report must not carry one.
  if (c.preset !== 'sim' && c.profile !== undefined) throw new UsageError(`--profile applies to the simulated endpoint only (--preset sim), not --preset ${c.preset}`);
  if (c.preset === 'sim') c.profile ??= 'realistic';
  if (!c.prompts.length) c.prompts = ['Explain how streaming responses work.'];
  const { rawOptions, ...config } = c;
  try {
    Object.assign(config, readOptions(rawOptions, { model: config.model || 'sim-model' }));
  } catch (e) {
    throw e instanceof OptionError ? new UsageError(e.message) : e;
  }
  return config;
}

/** The real core, loaded in Node (once) to check budgets and options before anything runs. */
let coreModule = null;
async function nodeCore() {
  if (!coreModule) {
    // The full build: budgets are full-only (the page it drives loads the full build too).
    coreModule = await import('../pkg-full/chat_vitals.js');
    await coreModule.default({ module_or_path: readFileSync(join(REPO, 'www', 'pkg-full', 'chat_vitals_bg.wasm')) });
  }
  return coreModule;
}

/** Checks a budget's keys with the real core; returns the error message or null. */
async function budgetProblem(budget) {
  const { Aggregate } = await nodeCore();
  try {
    new Aggregate().checkBudget(budget);
    return null;
  } catch (e) {
    return e.message;
  }
}

/**
 * Checks the measurement options with the real core: rating overrides against its threshold table (naming --rating),
 * then the whole set as MeterOptions (the core's own message). Returns the error message or null.
 */
async function optionsProblem(c) {
  const core = await nodeCore();
  try {
    checkRatings(c.ratings, core.thresholds());
  } catch (e) {
    if (e instanceof OptionError) return e.message;
    throw e;
  }
  const options = {};
  for (const k of ['cost', 'qoe', 'fluidity', 'stallThresholdMs', 'ratings']) if (c[k] !== undefined) options[k] = c[k];
  try {
    new core.Meter(0, options).free();
    return null;
  } catch (e) {
    return `invalid measurement options: ${e.message}`;
  }
}

/** Can we reach the endpoint at all? Any HTTP answer counts; a network error does not. */
async function reachable(url) {
  try {
    await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(5000) });
    return null;
  } catch (e) {
    return e.cause?.code ?? e.name ?? String(e);
  }
}

const fmt = (v) => (v === null || v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const fmtN = (d) => (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
const fmtUsd = (v) => (v === null || v === undefined ? '–' : `$${Number(v).toPrecision(3)}`);
/** How each summarized metric's values print, by unit. */
const FORMATS = { ttft: fmt, perceivedTtft: fmt, gaps: fmt, tpot: fmt, e2eStreamEnd: fmt, stallLongest: fmt, stalls: fmtN(2),
  fluidity: fmtN(3), qoe: fmtN(3), outputTokensPerSecond: fmtN(1), costUsd: fmtUsd, costPer1kOutputTokens: fmtUsd,
  outputTokensPerSecondPerUsd: fmtN(0) };

export function summaryLines(report) {
  const m = report.summary?.metrics ?? {};
  // Each row: percentiles, then the spread (σ = population stddev, CV = σ / mean).
  const spread = (k) => `σ ${(FORMATS[k] ?? fmt)(m[k]?.stddev)}`.padEnd(14) + `CV ${fmtCv(m[k]?.cv)}`;
  const row = (label, k, cols) => `${label.padEnd(26)}${cols.map((c) => `${c} ${(FORMATS[k] ?? fmt)(m[k]?.[c])}`.padEnd(16)).join('')}${spread(k)}`;
  const s = report.summary ?? {};
  const lines = [
    `chat-vitals: ${s.responses ?? 0} responses (${Object.entries(s.outcomes ?? {}).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}), ${s.warmupSkipped ?? 0} warm-up excluded${Object.keys(s.finishReasons ?? {}).length ? `; finish reasons: ${Object.entries(s.finishReasons).map(([k, v]) => `${v} ${k}`).join(', ')}` : ''}`,
    row('TTFT', 'ttft', ['p50', 'p95', 'p99']),
    row('perceived TTFT', 'perceivedTtft', ['p50', 'p95', 'p99']),
    row('inter-chunk gap (pooled)', 'gaps', ['p50', 'p99', 'max']),
    row('TPOT', 'tpot', ['p50', 'p95', 'p99']),
    row('end-to-end', 'e2eStreamEnd', ['p50', 'p95', 'p99']),
    row('output tokens/s', 'outputTokensPerSecond', ['p50', 'min', 'max']),
    `${'stalls'.padEnd(26)}total ${report.responses.reduce((a, r) => a + (r.stallCount ?? 0), 0)} in ${report.responses.filter((r) => r.stallCount > 0).length} responses, longest ${fmt(m.stallLongest?.max)}  per response ${spread('stalls')}`,
    row('fluidity index', 'fluidity', ['p50', 'min']),
    row('reading-pace QoE', 'qoe', ['p50', 'min']),
  ];
  if (m.costUsd?.count) {
    lines.push(row('cost per response', 'costUsd', ['p50', 'p95', 'max']));
    if (m.costPer1kOutputTokens?.count) lines.push(row('cost per 1k output tokens', 'costPer1kOutputTokens', ['p50', 'p95', 'max']));
    if (m.outputTokensPerSecondPerUsd?.count) lines.push(row('output tokens/s per USD', 'outputTokensPerSecondPerUsd', ['p50', 'min', 'max']));
  }
  for (const l of varianceReading(report, (v, k) => (FORMATS[k] ?? fmt)(v))) lines.push(`  ${l}`);
  return lines;
}

export async function main(argv) {
  let c;
  try {
    c = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message ? `chat-vitals: ${e.message}\n${USAGE}` : USAGE);
      return 2;
    }
    throw e;
  }
  for (const f of [SERVER_BIN, join(REPO, 'www', 'pkg', 'chat_vitals_bg.wasm'), join(REPO, 'www', 'pkg-full', 'chat_vitals_bg.wasm')]) {
    if (!existsSync(f)) { console.error(`chat-vitals: ${f} is missing; build first (bash scripts/audit.sh does)`); return 2; }
  }
  if (c.budget) {
    // Unknown budget keys are a usage error, found before anything runs (the core names the key).
    const why = await budgetProblem(c.budget);
    if (why) { console.error(`chat-vitals: invalid budget: ${why}`); return 2; }
  }
  {
    const why = await optionsProblem(c);
    if (why) { console.error(`chat-vitals: ${why}`); return 2; }
  }
  const tooMany = concurrencyWarning(Math.min(c.concurrency, c.runs + c.warmup), c.endpoint ?? 'http://127.0.0.1/');
  if (tooMany) console.error(`chat-vitals: warning: ${tooMany}`);
  if (c.endpoint) {
    const why = await reachable(c.endpoint);
    if (why) { console.error(`chat-vitals: endpoint ${c.endpoint} is unreachable (${why})`); return 2; }
  }
  const server = await startServer({ profile: c.profile ?? 'realistic', relay: !!c.relay });
  let browser;
  try {
    browser = await launchBrowser(c.browser);
  } catch (e) {
    server.stop();
    console.error(`chat-vitals: cannot start ${c.browser}: ${e.message}`);
    return 2;
  }
  try {
    const { page } = browser; // Playwright (Chromium) only: the progress line and scrolling the results into view
    if (!c.quiet && page) {
      await page.exposeFunction('__cvProgress', ({ done, total, etaMs }) => {
        process.stderr.write(`\r  ${done}/${total} responses${etaMs != null && done < total ? `, ETA ${(etaMs / 1000).toFixed(0)} s` : ''}   `);
      });
    }
    await browser.goto(`${server.page}?api=${encodeURIComponent(server.page.replace(/\/$/, ''))}`);
    await browser.waitFor(() => !!window.chatVitalsAudit); // WebKit's get() returns before module scripts have run
    await browser.evaluate(() => window.chatVitalsAudit.ready);
    const { out, quiet, otlpFile, ...config } = c;
    if (otlpFile) config.otlp = true;
    const report = await browser.evaluate((cfg) => window.chatVitalsAudit.run(cfg), config);
    if (!quiet && page) process.stderr.write('\n');
    const exports = await browser.evaluate(() => window.chatVitalsAudit.exports());
    const dir = resolve(out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.json'), exports.json);
    writeFileSync(join(dir, 'report.csv'), exports.csv);
    writeFileSync(join(dir, 'report.hlog'), exports.hlog);
    writeFileSync(join(dir, 'report.html'), exports.html);
    if (otlpFile) writeFileSync(resolve(otlpFile), `${JSON.stringify(await browser.evaluate(() => window.chatVitalsAudit.otlp()), null, 2)}\n`);
    // The results in view: WPE's WebDriver screenshot is its 800×600 viewport only.
    if (page) await page.locator('#results').scrollIntoViewIfNeeded();
    else await browser.evaluate(() => document.querySelector('#results')?.scrollIntoView());
    await browser.screenshot({ path: join(dir, 'screenshot.png'), fullPage: true });
    console.log(`browser: ${browserLabel(report.environment)} (--browser ${c.browser})`);
    for (const line of summaryLines(report)) console.log(line);
    for (const e of report.errors) console.log(`error: ${e.message}`);
    console.log(`report: ${join(dir, 'report.json')} (+ report.csv, report.hlog, report.html, screenshot.png)`);
    if (otlpFile) console.log(`otlp: ${resolve(otlpFile)}`);
    if (report.budget) {
      if (report.budget.pass) console.log('budget: pass');
      else {
        console.log('budget: FAIL');
        for (const v of report.budget.violations ?? []) console.log(`  - ${v.reason}`);
        if (report.budget.error) console.log(`  - ${report.budget.error}`);
        return 1;
      }
    }
    return 0;
  } finally {
    try { await browser.close(); } finally { server.stop(); }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => { console.error(`chat-vitals: ${e.stack ?? e}`); process.exit(2); });
}
