//! TypeScript types of the objects that cross the boundary (no `any` on report objects).
//! Field names mirror the serde camelCase names of the core structs; `null` = undefined metric.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export type Rating = 'good' | 'needs-improvement' | 'poor';
export type Outcome = 'complete' | 'truncated' | 'interrupted' | 'aborted' | 'error' | 'http-error' | 'not-streamed';
export type EndReason = 'eof' | 'aborted' | 'read-error' | 'error' | 'not-streamed';
export type FirstTokenRule = 'first-byte' | 'first-event' | 'first-choices' | 'first-content' | 'first-answer' | 'first-paint';
export type WireFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'ollama' | 'ai-sdk-ui' | 'ai-sdk-data' | 'text';
export type DetectedBy = 'override' | 'preset' | 'header' | 'content-type' | 'first-bytes' | 'fallback';
export type DeltaKind = 'content' | 'reasoning' | 'tool' | 'other';
export type TokenSource = 'usage' | 'events' | 'estimate';
export type ReportDiagnostic = 'events-without-text';

export interface MeterOptions {
  format?: WireFormat;
  /** Who chose `format`: 'override' (the user, default) or 'preset' (reported as formatDetectedBy 'preset'). */
  formatSource?: 'override' | 'preset';
  firstTokenRule?: FirstTokenRule;
  stallThresholdMs?: number;
  fluidity?: { ttftDeadlineMs?: number; tbtDeadlineMs?: number };
  qoe?: { readingTokensPerS?: number; ttftExpectedMs?: number; ttftPenaltyAlpha?: number | null };
  /** Token prices in USD per million tokens (both required); enables costUsd and the cost metrics. */
  cost?: { inputUsdPerMtok: number; outputUsdPerMtok: number } | null;
  /** Raw chunk and paint records kept per response (default 256, ~16 KB); metrics stay exact past it. */
  timelineCap?: number;
  maxLineBytes?: number;
  captureText?: boolean;
  /** Rating threshold overrides `[good, poor]` by rated metric, e.g. `{ ttft: [800, 3000], fluidity: [0.9, 0.6] }`. */
  ratings?: Record<string, [number, number]>;
}

export interface AggregateOptions { warmup?: number }

export interface ChunkRecord {
  atMs: number; bytes: number; tokens: number | null; deltas: number;
  contentChars: number; reasoningChars: number; toolChars: number; otherChars: number; kind: DeltaKind;
}
export interface PaintRecord { atMs: number; visibleChars: number }
export interface Timeline { chunks: ChunkRecord[]; paints: PaintRecord[]; truncated: boolean }

export interface TtftByRule {
  firstByte: number | null; firstEvent: number | null; firstChoices: number | null;
  firstContent: number | null; firstAnswer: number | null; firstPaint: number | null;
}

export interface ResponseReport {
  firstTokenRule: FirstTokenRule; ttftMs: number | null; ttftByRule: TtftByRule; ttfbMs: number | null;
  perceivedTtftMs: number | null; perceivedTtftFromSendMs: number | null; perceivedInvalidReason: string | null;
  paintScope: 'all' | 'first';
  e2eLastContentMs: number | null; e2eStreamEndMs: number | null;
  outputTokens: number | null; tokenSource: TokenSource | null; inputTokens: number | null; reasoningTokens: number | null;
  tpotMs: number | null; guidellmItlMs: number | null; guidellmTpotMs: number | null;
  decodeTokensPerSecond: number | null; outputTokensPerSecond: number | null;
  chunkCount: number; outputChunkCount: number; eventCount: number; bytes: number;
  contentChars: number; reasoningChars: number; toolChars: number; otherChars: number;
  gapCount: number; gapMeanMs: number | null; gapJitterMs: number | null; gapCv: number | null;
  gapP50Ms: number | null; gapP95Ms: number | null; gapP99Ms: number | null; gapMaxMs: number | null; gapsOutOfRange: number;
  stallThresholdMs: number; stallCount: number | null; stallTotalMs: number | null; stallLongestMs: number | null;
  fluidityIndex: number | null; fluidityMissedDeadlines: number; fluidityTotalDeadlines: number; qoe: number | null;
  burstShareChunk: number | null; burstSharePaint: number | null;
  paintCount: number; charsPerPaintMean: number | null; charsPerPaintMax: number | null;
  renderLagCount: number; renderLagP50Ms: number | null; renderLagP95Ms: number | null; renderLagMaxMs: number | null;
  frameCount: number | null; unpaintedFrameCount: number | null;
  longFrameCount: number | null; longFrameTotalMs: number | null; longFrameBlockingMs: number | null; longFrameMaxMs: number | null;
  costUsd: number | null; costPer1kOutputTokensUsd: number | null; outputTokensPerSecondPerUsd: number | null;
  finishReason: string | null; cutByLength: boolean | null;
  outcome: Outcome | null; errorClass: string | null; httpStatus: number | null; endMarkerSeen: boolean;
  parseErrors: number; oversizedLines: number; diagnostics: ReportDiagnostic[]; timelineTruncated: boolean; timeline: Timeline;
  ratings: Record<string, Rating>;
  format: WireFormat | null; formatDetectedBy: DetectedBy | null; streamed: boolean;
}

export interface MetricSummary {
  unit: string; count: number; min: number | null; max: number | null; mean: number | null;
  stddev: number | null; variance: number | null; cv: number | null;
  p50: number | null; p75: number | null; p90: number | null; p95: number | null; p99: number | null; 'p99.9': number | null;
  outOfRange: number;
}

export interface AggregateSummary {
  responses: number; warmupSkipped: number; perceivedExcluded: number;
  outcomes: Record<string, number>; finishReasons: Record<string, number>; metrics: Record<string, MetricSummary>;
}

export type Budget = Record<string, number>;
export interface BudgetViolation { key: string; limit: number; actual: number | null; reason: string }
export interface BudgetResult { pass: boolean; checked: number; violations: BudgetViolation[] }
"#;
