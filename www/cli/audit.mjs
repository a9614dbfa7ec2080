#!/usr/bin/env node
// chat-vitals audit CLI: serves the page, drives it in headless Chromium against an endpoint (the built-in simulated
// one by default), prints the summary and writes report.json, report.csv, report.hlog, report.html, screenshot.png.
// Exit codes: 0 = done and the budget (if any) holds, 1 = the budget fails, 2 = usage error or unreachable endpoint.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, launch, REPO, SERVER_BIN } from './runtime.mjs';

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
  --quiet               no progress line`;

class UsageError extends Error {}

export function parseArgs(argv, env = process.env) {
  const c = { runs: 20, concurrency: 2, warmup: 1, out: 'out', prompts: [], headers: {}, profile: 'realistic', format: 'auto', firstTokenRule: 'first-content' };
  const need = (i, flag) => {
    if (i >= argv.length || argv[i].startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return argv[i];
  };
  const int = (v, flag, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--endpoint': c.endpoint = need(++i, a); break;
      case '--preset': c.preset = need(++i, a); break;
      case '--format': c.format = need(++i, a); break;
      case '--profile': c.profile = need(++i, a); break;
      case '--model': c.model = need(++i, a); break;
      case '--prompt': c.prompts.push(need(++i, a)); break;
      case '--prompts-file': {
        const f = need(++i, a);
        try { c.prompts.push(...readFileSync(f, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean)); } catch (e) { throw new UsageError(`cannot read ${f}: ${e.message}`); }
        break;
      }
      case '--runs': c.runs = int(need(++i, a), a, 1); break;
      case '--concurrency': c.concurrency = int(need(++i, a), a, 1); break;
      case '--warmup': c.warmup = int(need(++i, a), a, 0); break;
      case '--max-tokens': c.maxTokens = int(need(++i, a), a, 1); break;
      case '--header': {
        const h = need(++i, a);
        const k = h.indexOf(':');
        if (k <= 0) throw new UsageError(`--header needs "Name: value", got ${JSON.stringify(h)}`);
        let v = h.slice(k + 1).trim();
        if (v.startsWith('$')) {
          if (env[v.slice(1)] === undefined) throw new UsageError(`--header ${h.slice(0, k)}: environment variable ${v.slice(1)} is not set`);
          v = env[v.slice(1)];
        }
        c.headers[h.slice(0, k).trim()] = v;
        break;
      }
      case '--api-key-env': {
        const name = need(++i, a);
        if (env[name] === undefined) throw new UsageError(`--api-key-env: environment variable ${name} is not set`);
        c.apiKey = env[name];
        break;
      }
      case '--first-token-rule': c.firstTokenRule = need(++i, a); break;
      case '--budget': {
        const f = need(++i, a);
        try { c.budget = JSON.parse(readFileSync(f, 'utf8')); } catch (e) { throw new UsageError(`cannot read budget ${f}: ${e.message}`); }
        break;
      }
      case '--out': c.out = need(++i, a); break;
      case '--quiet': c.quiet = true; break;
      case '--relay': c.relay = true; break;
      case '-h': case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  c.preset ??= c.endpoint ? 'openai-chat' : 'sim';
  if (c.preset !== 'sim' && !c.endpoint) throw new UsageError(`--preset ${c.preset} needs --endpoint`);
  if (!c.prompts.length) c.prompts = ['Explain how streaming responses work.'];
  return c;
}

/** Checks a budget's keys with the real core (loaded in Node); returns the error message or null. */
async function budgetProblem(budget) {
  const { default: init, Aggregate } = await import('../pkg/chat_vitals.js');
  await init({ module_or_path: readFileSync(join(REPO, 'www', 'pkg', 'chat_vitals_bg.wasm')) });
  try {
    new Aggregate().checkBudget(budget);
    return null;
  } catch (e) {
    return e.message;
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

export function summaryLines(report) {
  const m = report.summary?.metrics ?? {};
  const row = (label, k, cols) => `${label.padEnd(26)}${cols.map((c) => `${c} ${fmt(m[k]?.[c])}`.padEnd(16)).join('')}`;
  const s = report.summary ?? {};
  const lines = [
    `chat-vitals: ${s.responses ?? 0} responses (${Object.entries(s.outcomes ?? {}).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}), ${s.warmupSkipped ?? 0} warm-up excluded`,
    row('TTFT', 'ttft', ['p50', 'p95', 'p99']),
    row('perceived TTFT', 'perceivedTtft', ['p50', 'p95', 'p99']),
    row('inter-chunk gap (pooled)', 'gaps', ['p50', 'p99', 'max']),
    row('TPOT', 'tpot', ['p50', 'p95', 'p99']),
    `${'stalls'.padEnd(26)}total ${report.responses.reduce((a, r) => a + (r.stallCount ?? 0), 0)} in ${report.responses.filter((r) => r.stallCount > 0).length} responses, longest ${fmt(m.stallLongest?.max)}`,
    `${'fluidity index'.padEnd(26)}p50 ${m.fluidity?.p50?.toFixed(3) ?? '–'}  min ${m.fluidity?.min?.toFixed(3) ?? '–'}`,
  ];
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
  for (const f of [SERVER_BIN, join(REPO, 'www', 'pkg', 'chat_vitals_bg.wasm')]) {
    if (!existsSync(f)) { console.error(`chat-vitals: ${f} is missing; build first (bash scripts/audit.sh does)`); return 2; }
  }
  if (c.budget) {
    // Unknown budget keys are a usage error, found before anything runs (the core names the key).
    const why = await budgetProblem(c.budget);
    if (why) { console.error(`chat-vitals: invalid budget: ${why}`); return 2; }
  }
  if (c.endpoint) {
    const why = await reachable(c.endpoint);
    if (why) { console.error(`chat-vitals: endpoint ${c.endpoint} is unreachable (${why})`); return 2; }
  }
  const server = await startServer({ profile: c.profile, relay: !!c.relay });
  const browser = await launch();
  try {
    const { page } = browser;
    if (!c.quiet) {
      await page.exposeFunction('__cvProgress', ({ done, total, etaMs }) => {
        process.stderr.write(`\r  ${done}/${total} responses${etaMs != null && done < total ? `, ETA ${(etaMs / 1000).toFixed(0)} s` : ''}   `);
      });
    }
    await page.goto(`${server.page}?api=${encodeURIComponent(server.page.replace(/\/$/, ''))}`);
    await page.evaluate(() => window.chatVitalsAudit.ready);
    const { out, quiet, ...config } = c;
    const report = await page.evaluate((cfg) => window.chatVitalsAudit.run(cfg), config);
    if (!quiet) process.stderr.write('\n');
    const exports = await page.evaluate(() => window.chatVitalsAudit.exports());
    const dir = resolve(out);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.json'), exports.json);
    writeFileSync(join(dir, 'report.csv'), exports.csv);
    writeFileSync(join(dir, 'report.hlog'), exports.hlog);
    writeFileSync(join(dir, 'report.html'), exports.html);
    await page.locator('#results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(dir, 'screenshot.png'), fullPage: true });
    for (const line of summaryLines(report)) console.log(line);
    for (const e of report.errors) console.log(`error: ${e.message}`);
    console.log(`report: ${join(dir, 'report.json')} (+ report.csv, report.hlog, report.html, screenshot.png)`);
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
    await browser.close();
    server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => { console.error(`chat-vitals: ${e.stack ?? e}`); process.exit(2); });
}
