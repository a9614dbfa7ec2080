// Types of `chat-vitals/merge` (mergeReports: N audit reports → one, through the exact HdrHistogram merge).
import type { ResponseReport, AggregateSummary, Budget, BudgetResult } from './index.js';
import type { Aggregate } from '../pkg-full/chat_vitals.js'; // merging runs on the full build (loadFull)

/** A response of an audit report: the kit's report plus what the audit page adds (schema: "x-source": "audit"). */
export interface AuditResponseReport extends ResponseReport {
  /** fetch() → request sent (Resource Timing), ms; null when hidden by the endpoint or unknown. */
  browserQueueMs?: number | null;
  /** The protocol of the request (Resource Timing nextHopProtocol: 'http/1.1', 'h2', 'h3'); null when unknown. */
  nextHopProtocol?: string | null;
}

/** An audit report (docs/report.schema.json), as the audit page, the CLI and mergeReports write it. */
export interface AuditReport {
  $schema?: string;
  schema: 1;
  tool: { name: 'chat-vitals'; version: string };
  generatedAt: string;
  environment: { userAgent: string; browser: string; browserVersion: string | null; crossOriginIsolated: boolean;
    timerResolutionMs: number | null; [key: string]: unknown };
  config: Record<string, unknown>;
  relay?: boolean;
  cancelled: boolean;
  durationMs: number;
  responses: AuditResponseReport[];
  summary: AggregateSummary | null;
  histograms: Record<string, string>;
  hlog: string;
  errors: Array<{ index: number | null; message: string }>;
  budget?: BudgetResult | null;
  merged?: { from: Array<{ source: string; generatedAt: string | null; responses: number; toolVersion: string | null;
    environment: unknown }> };
  [key: string]: unknown;
}

export declare const REPORT_SCHEMA_VERSION: 1;
/** An input that cannot be merged; `source` names it and `reason` says why. Nothing was merged. */
export declare class MergeError extends Error {
  constructor(source: string, reason: string);
  readonly source: string;
  readonly reason: string;
}
/** Throws MergeError unless `report` looks like a chat-vitals report of this schema version. */
export declare function checkReport(report: unknown, source: string): asserts report is AuditReport;
/** The report fields an aggregate determines: summary, histograms, hlog, spectra, gapBins, budget (async: `HISTF…` is
 * DEFLATE through the platform's CompressionStream). */
export declare function aggregateFields(agg: Aggregate | null, options?: { budget?: Budget; startEpochS?: number;
  errors?: Array<{ index: number | null; message: string }> }): Promise<Pick<AuditReport, 'summary' | 'histograms' | 'hlog'>
  & { spectra: Record<string, Array<{ percentile: number; valueMs: number }>>; gapBins: Array<{ fromMs: number; toMs: number; count: number }>;
    budget: BudgetResult | null }>;
/** A report of everything `session` measured in this page (what a test shard writes). */
export declare function sessionReport(session: import('./index.js').Session, options?: { config?: Record<string, unknown>;
  budget?: Budget }): Promise<AuditReport>;
/** Merges reports (e.g. one per test shard) into one; throws MergeError naming a bad input. */
export declare function mergeReports(reports: AuditReport[], options?: { budget?: Budget; sources?: string[];
  wasm?: string | URL | BufferSource }): Promise<AuditReport>;
