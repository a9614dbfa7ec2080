// Types of the chat-vitals kit (`import … from 'chat-vitals'`): the one declaration of its public API.
// Kept honest by tests/e2e/types.test.mjs: every runtime export of index.js is declared here, every option key the
// kit reads is declared, the report type equals real reports and docs/report.schema.json field for field, and a
// strict consumer (tests/consumers/types/consumer.ts) type-checks with @ts-expect-error lines for wrong input.
// Typed as the full build (a superset of the embedded one): the full-only methods (exportHistogram, toHlog,
// checkBudget, merge, spectrum, …) exist at run time only after loadFull().
import type * as Core from '../pkg-full/chat_vitals.js';

export type { Rating, Outcome, EndReason, FirstTokenRule, WireFormat, DetectedBy, DeltaKind, TokenSource, MeterOptions,
  AggregateSummary, MetricSummary, Budget, BudgetResult, BudgetViolation, Timeline, ChunkRecord, PaintRecord,
  TtftByRule } from '../pkg-full/chat_vitals.js';

/** The raw wasm bindings (also `import … from 'chat-vitals/core'`). */
export declare const core: typeof Core;

// ---- loading and diagnostics -------------------------------------------------------------------------------------

/** Where the wasm comes from: a URL (default: next to the glue, via `new URL(…, import.meta.url)`), a Response, or bytes. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the wasm once. Resolves `true` when measurement is available, `false` otherwise (never rejects; the cause,
 * naming the URL, is in `diagnostics`). Until it resolved true, `wrapFetch` passes requests through unmeasured.
 */
export declare function load(wasm?: WasmSource): Promise<boolean>;
/**
 * Loads the full build instead (`chat-vitals/full`: also HdrHistogram `HISTF…`/`.hlog` export and import, merge,
 * budgets, spectra; fetched only when called) and makes it `core`. Call it instead of load(), or before the first
 * measured response: a session that began a response on the embedded build stays on it (its responses still report).
 * Never rejects.
 */
export declare function loadFull(moduleUrl?: string | URL, wasm?: WasmSource): Promise<boolean>;
/** True when `core` is the full build (loadFull() resolved true). */
export declare function isFull(): boolean;
/**
 * Instantiates the wasm synchronously from its bytes (the injectable build). `bindings` = the wasm-bindgen module
 * the bytes belong to (default: the embedded build's). Returns true on success; never throws.
 */
export declare function loadSync(bytes: BufferSource | WebAssembly.Module, bindings?: object): boolean;
/** True once the wasm module is ready. */
export declare function isLoaded(): boolean;

/** A measurement problem, recorded instead of thrown into app code. */
export interface Diagnostic {
  /** performance.now() when it was recorded, ms. */
  at: number;
  /** The kit entry point that hit it (`load`, `wrapFetch`, `chunk`, `onReport callback`, …). */
  where: string;
  message: string;
  /** Set for problems the caller can act on: `invalid-option` (the core refused a MeasureOptions value; the
   * message names the option), `invalid-start` (a bad `startMs`), and every code of a report's `diagnostics`
   * (`events-without-text`: a completed stream whose events carried no text, so its format is probably wrong). */
  code?: 'invalid-option' | 'invalid-start' | Core.ReportDiagnostic;
}
/** Measurement problems (bounded, oldest dropped first). */
export declare const diagnostics: Diagnostic[];

// ---- reports -----------------------------------------------------------------------------------------------------

/** Script attribution of a long animation frame (no text; URL without query or fragment). */
export interface LongFrameScript {
  sourceURL: string;
  sourceFunctionName: string;
  invoker: string;
  invokerType: string;
  durationMs: number;
}
/** One long animation frame (≥ 50 ms) that overlapped the response. */
export interface LongFrame {
  /** Offset from the request start, ms. */
  startMs: number;
  durationMs: number;
  blockingMs: number;
  script: LongFrameScript | null;
}

/** Fields the kit adds to the core's report. */
export interface KitReportFields {
  /** Unique per response (`cv-<epoch ms>-<n>`); the web-vitals-style callbacks' `id`. */
  id: string;
  /** The `label` option, else null. */
  label: string | null;
  /** The `warmup` option: true = excluded from the aggregate's statistics. */
  warmup: boolean;
  /** The longest long animation frames during the response (at most 10), longest first. */
  longFrames: LongFrame[];
  /** Wall-clock request start (performance.timeOrigin + start), to line reports up with server logs. */
  requestStartUnixMs: number;
  /** What timed the first paint (`perceivedTtftMs`); null = no paint with text (docs/METRICS.md, "Paint sources"). */
  paintSource: PaintSource | null;
  /** Request start → the browser's presentation time of the first paint's frame, ms; null where it gives none. */
  perceivedTtftPresentedMs: number | null;
  /** Host of the request URL (OTel `server.address`); never its path or query. null without a URL (manual path). */
  serverAddress: string | null;
  /** Port of the request URL (explicit, else 443 / 80); null without a URL. */
  serverPort: number | null;
}

/**
 * 'element-timing': the browser's Element Timing paintTime; 'long-animation-frame': the LoAF entry's paintTime;
 * 'frame': the kit's post-frame task (never early, late by the tasks queued before it); 'manual': handle.paint()
 * called by the app.
 */
export type PaintSource = 'element-timing' | 'long-animation-frame' | 'frame' | 'manual';

/** One measured response, as `session.reports`, `onReport` and `handle.end()` give it. */
export interface ResponseReport extends Core.ResponseReport, KitReportFields {}

// ---- sessions ----------------------------------------------------------------------------------------------------

export interface SessionOptions {
  /** Reports kept in `session.reports` (oldest dropped first); default 1000. */
  maxReports?: number;
  /** Options of the session's aggregate. */
  metrics?: Core.AggregateOptions;
}

/** A set of measured responses with their aggregate. */
export declare class Session {
  constructor(options?: SessionOptions);
  readonly options: SessionOptions;
  /** Finished responses' reports, oldest first. */
  reports: ResponseReport[];
  /** The HdrHistogram aggregate (null until the wasm is loaded and a response finished). */
  aggregate: Core.Aggregate | null;
  readonly maxReports: number;
  /** Calls `cb` with each finished response's report. Returns an unsubscribe function. */
  onReport(cb: (report: ResponseReport) => void): () => void;
  /** Percentiles etc. of everything measured so far (null before the first response). */
  summary(): Core.AggregateSummary | null;
  /** Forgets every report and sample. */
  reset(): void;
}
/** The default session every helper uses unless given another. */
export declare const session: Session;

// ---- measuring ---------------------------------------------------------------------------------------------------

/**
 * How a response's transport ended: `eof` lets the report decide complete/truncated from what the stream carried;
 * `aborted` = the client stopped (complete when the stream had finished); `read-error` = a body read failed
 * (`interrupted`); `error` = no response at all.
 */
export type EndOutcome = Core.EndReason;

/** Options of the measurement itself (begin, wrapFetch, inject). */
export interface MeasureOptions {
  /** Wire format (default: detected from headers and the first bytes). */
  format?: Core.WireFormat;
  /** Who chose `format`: 'override' (the user, default) or 'preset' (reported as `formatDetectedBy: 'preset'`). */
  formatSource?: Core.MeterOptions['formatSource'];
  /** Token prices, USD per million tokens: enables `costUsd`, `costPer1kOutputTokensUsd`, `outputTokensPerSecondPerUsd`. */
  cost?: Core.MeterOptions['cost'];
  /** Andes QoE parameters, any subset (defaults: 4.8 tokens/s, 1000 ms, no penalty). */
  qoe?: Core.MeterOptions['qoe'];
  /** Etalon fluidity deadlines, any subset (defaults: 100 ms, 50 ms). */
  fluidity?: Core.MeterOptions['fluidity'];
  /** Rating threshold overrides `[good, poor]` by rated metric, e.g. `{ ttft: [800, 3000] }`. */
  ratings?: Core.MeterOptions['ratings'];
  /** Which event counts as the first token for `ttftMs` (default `first-content`). */
  firstTokenRule?: Core.FirstTokenRule;
  /** A gap at least this long is a stall, ms (default 250). */
  stallThresholdMs?: number;
  /** Raw chunk and paint records kept per response (default 256); metrics stay exact past it. */
  timelineCap?: number;
  /** Longest line the decoder buffers, bytes; longer lines are counted in `oversizedLines`. */
  maxLineBytes?: number;
  /** Keep the decoded text so `handle.takeText()` can hand it to a renderer (reports never carry it). */
  captureText?: boolean;
  /** Carried into the report as `label`. */
  label?: string;
  /** Count this response as warm-up (excluded from the aggregate's statistics). */
  warmup?: boolean;
  /** The session the report goes to (default: `session`). */
  session?: Session;
  /** Called with the report when the response ends (errors it throws go to `diagnostics`). */
  onReport?: (report: ResponseReport) => void;
}

export interface BeginOptions extends MeasureOptions {
  /** Request start, performance.now() ms (default: now). */
  startMs?: number;
  /** 'auto' (default): a form submit or Enter keydown at most 1 s before marks the user's send action. */
  sendAction?: 'auto' | false;
  /** The request URL: only its host and port reach the report (`serverAddress`, `serverPort`). wrapFetch sets it. */
  url?: string | URL;
}

/** Selects the requests `wrapFetch` measures: a URL substring, a RegExp, or a predicate. */
export type FetchMatch = string | RegExp | ((url: string, init?: RequestInit) => boolean);

export interface ObserveOptions {
  /** Selector of subtrees whose text is not response text (default `DEFAULT_IGNORE`: typing indicators, hidden nodes). */
  ignore?: string;
  /** Text already visible at bind time is not response text (bind at request start). */
  baseline?: boolean;
  /** 'first': time only the first paint (perceived TTFT), then stop (report `paintScope: "first"`). Default 'all'. */
  paints?: 'all' | 'first';
  /**
   * Default true where the browser has Element Timing: new text-bearing elements get `elementtiming="chat-vitals"`
   * before their first paint (an app's own value is kept) until the first paint is timed, and the browser's paintTime
   * times it. false: no attribute, no Element Timing.
   */
  elementTiming?: boolean;
}

export interface WrapFetchOptions extends MeasureOptions {
  /** Which requests to measure (default: all). */
  match?: FetchMatch;
  /** The element, or a selector that may match only later (a bubble created on the first token), each answer renders into. */
  observe?: string | Element;
  ignore?: ObserveOptions['ignore'];
  paints?: ObserveOptions['paints'];
  elementTiming?: ObserveOptions['elementTiming'];
}

/** A response being measured (from `begin`). Every method is guarded: it never throws. */
export interface Handle {
  /** False for the no-op handle (wasm not loaded, or the measurement could not start). */
  readonly live: boolean;
  readonly id: string | null;
  readonly session?: Session;
  /** Records a chunk as it arrived (default: now): text, bytes or any byte view. */
  chunk(data: string | BufferSource | ArrayLike<number>, atMs?: number): void;
  /** Response status and headers (detects the format, `httpStatus`). */
  headers(status: number, headers: Headers | Record<string, string> | Iterable<[string, string]>, atMs?: number): void;
  /**
   * A paint that made `visibleChars` characters of response text visible; `source` (default 'manual') and the
   * browser's presentation time of its frame, where known, are reported for the first one.
   */
  paint(visibleChars: number, atMs?: number, source?: PaintSource, presentedAtMs?: number | null): void;
  /** A frame that started at `frameStartMs` (frames that left arrived text unpainted). */
  frame(frameStartMs: number): void;
  /** The user's send action (perceived TTFT from send). */
  markSend(atMs?: number): void;
  /** Perceived metrics of this response are not valid (e.g. 'page-hidden'). */
  invalidatePerceived(reason: string): void;
  /** From now on only the first paint is timed. */
  firstPaintOnly(): void;
  /** Decodes the chunks stamped so far. */
  flush(): void;
  /** Decoded text since the last call (`captureText: true`), for a renderer. */
  takeText(): string;
  /** The report so far, without ending. */
  report(): Core.ResponseReport | null;
  /** Ends the response (default `eof`, now); returns its report (null when already ended or not live). */
  end(outcome?: EndOutcome, atMs?: number): ResponseReport | null;
  /** Drops the measurement without a report. */
  discard(): void;
  /** Runs `fn(atMs)` after each chunk is stamped. Returns an unsubscribe function. */
  onChunk(fn: (atMs: number) => void): () => void;
  /** Runs `fn()` just before the response ends. Returns an unsubscribe function. */
  onEnd(fn: () => void): () => void;
}

/** Begins a measured response (manual path: WebSocket, EventSource, custom transports). Never throws. */
export declare function begin(options?: BeginOptions): Handle;

export interface PumpResult { outcome: 'eof' | 'aborted' | 'read-error'; atMs: number }
/** Reads `body`, stamps and feeds each chunk to `handle`; ends it unless `end: false`. Never rejects. */
export declare function pump(body: ReadableStream<Uint8Array>, handle: Handle, signal?: AbortSignal | null,
  options?: { end?: boolean }): Promise<PumpResult | null>;

/**
 * A function with fetch's signature that measures streamed responses (the `fetch` option of the OpenAI, Anthropic
 * and AI SDK clients, or in place of `fetch`). The app gets the same response, bytes, status, headers and errors.
 */
export declare function wrapFetch<F extends (input: any, init?: any) => Promise<Response> = typeof fetch>(
  fetchImpl?: F | null, options?: WrapFetchOptions): F;

/** Times the paints that make response text visible in `target`. Returns a function that stops observing. */
export declare function observe(target: Element | string, handle: Handle, options?: ObserveOptions): () => void;
/** Characters of text under `root` a user can see (Unicode code points). */
export declare function visibleChars(root: Node, ignore?: string, checkRoot?: boolean): number;
/** Calls `cb(paintTimeMs)` after the next frame is painted. */
export declare function afterNextPaint(cb: (paintTimeMs: number) => void): void;
/** The default `ignore` selector. */
export declare const DEFAULT_IGNORE: string;

// ---- web-vitals-style callbacks ----------------------------------------------------------------------------------

export type MetricName = 'TTFT' | 'PerceivedTTFT' | 'Smoothness';

export interface TTFTAttribution {
  ttfbMs: number | null;
  firstByteMs: number | null;
  firstTokenRule: Core.FirstTokenRule;
}
/** Parts of perceived TTFT that add up to it: request → first byte → first content → first paint. */
export interface PerceivedTTFTAttribution {
  requestToFirstByteMs: number;
  firstByteToFirstContentMs: number;
  firstContentToFirstPaintMs: number;
  /** Send action → request start, when the send action is known. */
  sendToRequestMs: number | null;
  perceivedTtftFromSendMs: number | null;
}
export interface SmoothnessAttribution {
  fluidityIndex: number | null;
  gapP99Ms: number | null;
  stallCount: number | null;
  stallLongestMs: number | null;
  renderLagP95Ms: number | null;
  charsPerPaintMax: number | null;
  unpaintedFrameCount: number | null;
  longFrameCount: number | null;
  longFrameBlockingMs: number | null;
  longFrameTotalMs: number | null;
  longestFrame: LongFrame | null;
  perceivedInvalidReason: string | null;
}

/** What a callback receives (the web-vitals Metric shape). */
export interface Metric<N extends MetricName, A> {
  name: N;
  value: number;
  rating: Core.Rating | undefined;
  /** Change since the last report of this id (the value on the first). */
  delta: number;
  /** The response's report id. */
  id: string;
  attribution: A;
  navigationType: 'navigate' | 'reload' | 'back-forward' | 'back-forward-cache' | 'prerender' | 'restore';
}
export type TTFTMetric = Metric<'TTFT', TTFTAttribution>;
export type PerceivedTTFTMetric = Metric<'PerceivedTTFT', PerceivedTTFTAttribution>;
export type SmoothnessMetric = Metric<'Smoothness', SmoothnessAttribution>;

export interface CallbackOptions {
  session?: Session;
  /** Also report a value that did not change. */
  reportAllChanges?: boolean;
}
/** TTFT per response. Returns an unsubscribe function. */
export declare function onTTFT(cb: (metric: TTFTMetric) => void, opts?: CallbackOptions): () => void;
/** Perceived TTFT (first paint with visible text − request start) per response. */
export declare function onPerceivedTTFT(cb: (metric: PerceivedTTFTMetric) => void, opts?: CallbackOptions): () => void;
/** Smoothness (fluidity index, 0–1, higher is better) of a finished response. */
export declare function onSmoothness(cb: (metric: SmoothnessMetric) => void, opts?: CallbackOptions): () => void;
/** Perceived TTFT split into parts (null when the report has no valid perceived TTFT). */
export declare function perceivedTtftAttribution(report: Core.ResponseReport): PerceivedTTFTAttribution | null;

/** `[good, poor]` in ms: constants, available before load() (the core's table). */
export declare const TTFTThresholds: readonly [good: number, poor: number];
export declare const PerceivedTTFTThresholds: readonly [good: number, poor: number];
/** Fluidity index, higher is better: `[good ≥, poor <]`. */
export declare const SmoothnessThresholds: readonly [good: number, poor: number];

// ---- page lifecycle ----------------------------------------------------------------------------------------------

/** Handles currently live. */
export declare function liveHandles(): Handle[];
/** Calls `cb(liveHandles)` when the page becomes hidden. Returns an unsubscribe function. */
export declare function onHidden(cb: (handles: Handle[]) => void): () => void;

/** What the browser offers the kit, by feature detection. */
export interface Capabilities {
  /** Long Animation Frame entries: long-frame metrics and script attribution. */
  longAnimationFrame: boolean;
  /** LoAF entries carry `paintTime`: paints of long frames are timed from it. */
  longAnimationFramePaintTime: boolean;
  /** Element Timing entries (`elementtiming` attribute). */
  elementTiming: boolean;
  /** SharedArrayBuffer exists (WebKitGTK/WPE lack it even when cross-origin isolated). */
  sharedArrayBuffer: boolean;
}
export interface BrowserName {
  engine: 'Blink' | 'Gecko' | 'WebKit' | 'unknown';
  /** Chromium, Google Chrome, …, Firefox, Safari (WebKit on an Apple device only), WebKit (WebKitGTK, WPE), unknown. */
  browser: string;
  /** From the user agent; null for WebKitGTK/WPE, whose UA carries no version of their own. */
  browserVersion: string | null;
}
export interface Environment extends BrowserName {
  userAgent: string;
  crossOriginIsolated: boolean;
  timerResolutionMs: number | null;
  hardwareConcurrency: number | null;
  pageUrl: string | null;
  capabilities: Capabilities;
  /** Report fields this browser cannot measure (null in its reports, not 0). */
  unavailableMetrics: string[];
}
/** The browser, its engine and what it can measure (the `environment` of an audit report). */
export declare function environment(): Environment;
/** Feature detection of what the kit's metrics depend on. */
export declare function capabilities(): Capabilities;
/** Names the browser and its engine from a user-agent string (and userAgentData brands). */
export declare function describeBrowser(userAgent: string, brands?: { brand: string; version: string }[]): BrowserName;
