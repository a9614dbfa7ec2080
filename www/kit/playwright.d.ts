// Types of `chat-vitals/playwright` (Node side; drives a Playwright Page without importing Playwright itself).
import type { ResponseReport, Diagnostic, AggregateSummary, Budget, BudgetResult, FirstTokenRule, WireFormat, Environment }
  from './index.js';

/** The structural part of a Playwright Page / BrowserContext that instrument() and collect() use. */
export interface PageLike {
  addInitScript(script: { content: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
}

export interface InstrumentOptions {
  /** Requests to measure: URL substring or RegExp (default: all). */
  match?: string | RegExp;
  /** Selector of the element each answer renders into (may match only later). */
  observe?: string;
  ignore?: string;
  paints?: 'all' | 'first';
  /** false: the kit sets no `elementtiming` attribute and uses no Element Timing entries. */
  elementTiming?: boolean;
  firstTokenRule?: FirstTokenRule;
  format?: WireFormat;
}

/** Path of the injectable build (the kit and the wasm in one classic script). */
export declare const INJECT_SCRIPT: string;
/** Instruments every page load of `page` (a Page or BrowserContext) before the app's scripts run. */
export declare function instrument(page: Pick<PageLike, 'addInitScript'>, options?: InstrumentOptions): Promise<void>;

export interface Collected {
  responses: ResponseReport[];
  summary: AggregateSummary | null;
  diagnostics: Diagnostic[];
  /** The browser, its engine and what it can measure (`unavailableMetrics` are null in its reports). */
  environment: Environment;
}
/** The measured responses, the aggregate summary, the diagnostics and the environment, from a Page of any engine. */
export declare function collect(page: Pick<PageLike, 'evaluate'>): Promise<Collected>;
/** Everything the page measured as one report (responses, summary, HISTF histograms, .hlog), for merging shards. */
export declare function report(page: Pick<PageLike, 'evaluate'>): Promise<import('./merge.js').AuditReport>;
/** Writes report(page) as JSON to `file` (directories created); resolves the report. */
export declare function writeReport(page: Pick<PageLike, 'evaluate'>, file: string): Promise<import('./merge.js').AuditReport>;
/** The injectable build with its configuration in front, as one classic script. */
export declare function injectSource(options?: InstrumentOptions): string;
/** Returns a passing budget result; throws an Error listing every violation of a failing one. */
export declare function throwIfBudgetFails<R extends { pass: boolean }>(result: R): R;
/** Checks a budget (`{"ttft.p95": 1000, …}`) in the page. */
export declare function checkBudget(page: Pick<PageLike, 'evaluate'>, budget: Budget): Promise<BudgetResult & { error?: string }>;
/** Like checkBudget, but throws an Error listing every violation when the budget fails. */
export declare function assertBudget(page: Pick<PageLike, 'evaluate'>, budget: Budget): Promise<BudgetResult>;

/** The `chatVitals` fixture a test receives. */
export interface ChatVitalsFixture {
  collect(): Promise<Collected>;
  checkBudget(budget: Budget): Promise<BudgetResult & { error?: string }>;
  assertBudget(budget: Budget): Promise<BudgetResult>;
}
/**
 * @playwright/test fixtures: `const test = base.extend<ChatVitalsFixtures>(chatVitalsFixtures({ match }))`, then
 * `test('…', async ({ page, chatVitals }) => …)`; `test.use({ chatVitalsOptions })` overrides the options.
 */
export interface ChatVitalsFixtures {
  chatVitalsOptions: InstrumentOptions;
  chatVitals: ChatVitalsFixture;
}
export declare function chatVitalsFixtures(defaults?: InstrumentOptions): {
  chatVitalsOptions: [InstrumentOptions, { option: true }];
  chatVitals: (args: { page: PageLike; chatVitalsOptions: InstrumentOptions }, use: (f: ChatVitalsFixture) => Promise<void>) => Promise<void>;
};
