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
      exportHistogram(metric: string): string | null;
      /** Everything measured as one report, for merging test shards. */
      report(): import('./merge.js').AuditReport;
      diagnostics: Diagnostic[];
      /** The browser, its engine and what it can measure. */
      environment(): Environment;
    };
  }
}
export {};
