// chat-vitals in your own Playwright tests, without changing the app:
//
//   import { instrument, collect, assertBudget } from 'chat-vitals/playwright';
//   await instrument(page, { match: '/v1/chat/completions', observe: '.msg.assistant:last-child' });
//   await page.goto(appUrl); … drive the chat …
//   await assertBudget(page, { 'ttft.p95': 1500, 'perceivedTtft.p95': 2000, 'stalls.max': 0 });
//
// or as a @playwright/test fixture:  const test = base.extend(chatVitalsFixtures({ match: '/v1/chat/completions' }));
//
// instrument() adds the injectable build (dist/chat-vitals-inject.js: the kit + the wasm in one classic script)
// with page.addInitScript, so window.fetch is wrapped before the app's own scripts run. Node-side only; imports no
// Playwright package (it drives the Page it is given).
import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// In this repo www/kit/ → www/dist/; in the package kit/ → dist/ (scripts/pack.mjs keeps that layout).
export const INJECT_SCRIPT = fileURLToPath(new URL('../dist/chat-vitals-inject.js', import.meta.url));

/**
 * Instruments every page load of `page` (a Playwright Page or BrowserContext).
 * @param {{match?: string|RegExp, observe?: string, ignore?: string, paints?: 'all'|'first', elementTiming?: boolean, warmup?: boolean,
 *          label?: string} & MeasureOptions} options  every MeterOptions key (format, firstTokenRule, cost, qoe,
 *          fluidity, ratings, …) reaches each response's meter; values must be JSON (they cross into the page).
 */
export async function instrument(page, options = {}) {
  await page.addInitScript({ content: injectSource(options) });
}

/** The injectable build with its configuration in front: one classic script (also used by ./webdriver.js). */
export function injectSource(options = {}) {
  if (!existsSync(INJECT_SCRIPT)) throw new Error(`${INJECT_SCRIPT} is missing: in this repo run node scripts/vendor.mjs (after scripts/build.py); the package ships it`);
  const cfg = { ...options, match: options.match instanceof RegExp ? options.match.source : options.match, matchIsRegExp: options.match instanceof RegExp };
  return `window.__CHAT_VITALS__ = ${JSON.stringify(cfg)};\n${readFileSync(INJECT_SCRIPT, 'utf8')}`;
}

/** What collect() reads in the page: the reports, the summary, diagnostics and the environment (engine, capabilities). */
export const COLLECT_IN_PAGE = () => ({ responses: window.chatVitals.reports(), summary: window.chatVitals.summary(),
  diagnostics: window.chatVitals.diagnostics, environment: window.chatVitals.environment() });

/**
 * The measured responses, the aggregate summary, diagnostics and the environment from the page. Works with a Page of
 * any Playwright engine; `environment.unavailableMetrics` lists what that browser cannot measure (null in reports).
 */
export async function collect(page) {
  return page.evaluate(COLLECT_IN_PAGE);
}

/**
 * Everything the page measured as one report (docs/report.schema.json: responses, summary, HISTF histograms, .hlog).
 * A test shard writes it; a final job merges the shards losslessly (node www/cli/merge.mjs, or mergeReports()).
 */
export async function report(page) {
  return page.evaluate(() => window.chatVitals.report());
}

/** Writes report(page) as JSON to `file` (directories created); resolves the report. */
export async function writeReport(page, file) {
  const r = await report(page);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return r;
}

/** Checks a budget in the page; resolves the result ({pass, checked, violations}). */
export async function checkBudget(page, budget) {
  return page.evaluate((b) => window.chatVitals.checkBudget(b), budget);
}

/** Like checkBudget, but throws an Error listing every violation when the budget fails. */
export async function assertBudget(page, budget) {
  return throwIfBudgetFails(await checkBudget(page, budget));
}

/** Returns a budget result that passes; throws an Error listing every violation of one that fails. */
export function throwIfBudgetFails(result) {
  if (!result.pass) {
    const lines = [...(result.violations ?? []).map((v) => `  - ${v.reason}`), ...(result.error ? [`  - ${result.error}`] : [])];
    throw new Error(`chat-vitals budget failed:\n${lines.join('\n')}`);
  }
  return result;
}

/**
 * @playwright/test fixtures: `base.extend(chatVitalsFixtures({ match, observe }))` gives each test a `chatVitals`
 * fixture bound to its `page` (instrumented before the test body runs) with collect(), checkBudget(budget) and
 * assertBudget(budget). The options are a fixture option too (`test.use({ chatVitalsOptions: {...} })`).
 * @param {object} [defaults] instrument() options
 */
export function chatVitalsFixtures(defaults = {}) {
  return {
    chatVitalsOptions: [defaults, { option: true }],
    // Playwright reads the fixture's dependencies from this destructuring pattern: keep it literal.
    chatVitals: async ({ page, chatVitalsOptions }, use) => {
      await instrument(page, chatVitalsOptions);
      await use({
        collect: () => collect(page),
        checkBudget: (budget) => checkBudget(page, budget),
        assertBudget: (budget) => assertBudget(page, budget),
      });
    },
  };
}
