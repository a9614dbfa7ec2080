// Types of `chat-vitals/otlp` (reportTo: the session's metrics as OTLP/HTTP JSON to an OpenTelemetry Collector).
import type { ResponseReport, Session } from './index.js';

/** An attribute value as OTLP carries it (ints become `intValue`, other numbers `doubleValue`). */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface OtlpOptions {
  /** The session whose responses are exported (default: `session`). */
  session?: Session;
  /** Share of page sessions that report, decided once when reportTo is called (default 1). */
  sampleRate?: number;
  /** Also send after every N finished responses (default: only on hide / pagehide / flush()). */
  everyResponses?: number;
  /** Resource attributes over the defaults, e.g. `{ 'service.name': 'chat-web' }`. */
  resource?: Attributes;
  /** Headers for collectors that need them (forces `fetch` with keepalive: a beacon cannot carry headers). */
  headers?: Record<string, string>;
  /** Rename or drop attributes per response: return the (changed) object, or null to leave the response out. */
  attributes?: (attributes: Attributes, report: ResponseReport) => Attributes | null | undefined | false;
  /** `gen_ai.request.model`, only when given (the kit never reads the request body). */
  model?: string | ((report: ResponseReport) => string | undefined | null);
  /** `gen_ai.provider.name` (default: from the wire format: openai, anthropic, ollama; else `_OTHER`). */
  provider?: string;
  /** `gen_ai.operation.name` (default `chat`). */
  operationName?: string;
  /** 'auto' (default): sendBeacon to a same-origin URL without headers, else fetch with keepalive. */
  transport?: 'auto' | 'beacon' | 'fetch';
  /** The fetch used for the 'fetch' transport (default: the global one). */
  fetch?: typeof fetch;
  /** Called after each request is handed to the browser. */
  onSend?: (info: { transport: 'beacon' | 'fetch' | null; bytes: number; responses: number }) => void;
}

/** One exported metric: its OTLP name, unit, explicit bounds and description. */
export interface OtlpMetricDef {
  readonly name: string;
  readonly unit: string;
  readonly bounds: readonly number[];
  readonly description: string;
  readonly streaming?: boolean;
  readonly series?: 'gaps' | 'renderLag';
  readonly tokens?: boolean;
  readonly perceived?: boolean;
}

/** An OTLP/HTTP JSON ExportMetricsServiceRequest (proto3 JSON mapping: strings for fixed64, integer enums). */
export interface ExportMetricsServiceRequest {
  resourceMetrics: Array<{
    resource: { attributes: KeyValue[] };
    scopeMetrics: Array<{ scope: { name: string; version: string }; metrics: Array<{
      name: string; description: string; unit: string;
      histogram: { aggregationTemporality: 1; dataPoints: HistogramDataPoint[] };
    }> }>;
  }>;
}
export interface KeyValue { key: string; value: { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean } }
export interface HistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  bucketCounts: string[];
  explicitBounds: number[];
  min?: number;
  max?: number;
}

export declare const OTLP_METRICS: readonly OtlpMetricDef[];
export declare const GENAI_DURATION_BOUNDS_S: readonly number[];
export declare const GENAI_TOKEN_BOUNDS: readonly number[];
export declare const GENAI_TPOT_BOUNDS_S: readonly number[];
export declare const RENDER_LAG_BOUNDS_S: readonly number[];
export declare const STALL_COUNT_BOUNDS: readonly number[];
export declare const FLUIDITY_BOUNDS: readonly number[];
export declare const MAX_BODY_BYTES: number;

/** `error.type` of a report: null when complete; the HTTP status, the error class or the outcome otherwise. */
export declare function errorType(report: ResponseReport): string | null;

/** Accumulates responses into OTLP histogram data points; take() returns the request and starts a new window. */
export declare class OtlpCollector {
  constructor(options?: Omit<OtlpOptions, 'session' | 'everyResponses' | 'transport' | 'fetch' | 'onSend' | 'headers'>);
  /** Adds a finished response (with its meter while alive, for per-chunk series). False when dropped. */
  add(report: ResponseReport, meter?: unknown): boolean;
  /** Responses added since the last take(). */
  readonly pending: number;
  /** The request for everything since the previous take() (null when empty); DELTA temporality. */
  take(nowEpochMs?: number): ExportMetricsServiceRequest | null;
}

export interface OtlpExporter {
  /** False when this page session was not sampled (nothing is ever sent). */
  readonly sampled: boolean;
  readonly collector: OtlpCollector | null;
  /** Sends what is pending now; true when a request was handed to the browser. */
  flush(): boolean;
  /** Flushes and stops listening. */
  stop(): void;
}

/** Sends the session's metrics to `url` (a collector's /v1/metrics) on page hide and, optionally, every N responses. */
export declare function reportTo(url: string | URL, options?: OtlpOptions): OtlpExporter;
