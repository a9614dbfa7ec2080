// `chat-vitals/inject` is a classic script with side effects only (it wraps window.fetch). What it defines:
import type { ResponseReport, Diagnostic, AggregateSummary, Budget, BudgetResult, Environment } from './index.js';

declare global {
  interface Window {
    /** Set before the script runs: what to measure. */
    __CHAT_VITALS__?: { match?: string; matchIsRegExp?: boolean; observe?: string; ignore?: string;
      paints?: 'all' | 'first'; elementTiming?: boolean; firstTokenRule?: string; format?: string };
    /** Results of the injectable build. */
    chatVitals?: {
      reports(): ResponseReport[];
      summary(): AggregateSummary | null;
      checkBudget(budget: Budget): BudgetResult & { error?: string };
      /** One metric as `HISTF…` (resolves null before the first measured response). */
      exportHistogram(metric: string): Promise<string | null>;
      /** Everything measured as one report, for merging test shards (resolves once its histograms are compressed). */
      report(): Promise<import('./merge.js').AuditReport>;
      diagnostics: Diagnostic[];
      /** The browser, its engine and what it can measure. */
      environment(): Environment;
    };
  }
}
export {};
