// web-vitals-style callbacks: onTTFT, onPerceivedTTFT, onSmoothness. Each call subscribes for the page's lifetime
// and calls `cb(metric)` once per measured response (and, for a response still streaming when the page is hidden,
// once more on hide with what is known then, like web-vitals flushes on visibilitychange):
//   { name, value, rating, delta, id, attribution, navigationType }
// `rating` comes from the core's thresholds (core.rate), `delta` is the change since the last report of that id.
import { core, diag } from './core.js';
import { session as defaultSession } from './session.js';
import { onHidden } from './live.js';

/**
 * [good, poor] default thresholds, constants available before load(). They are the core's table
 * (src/rating.rs; the full build's `thresholds()`); tests/e2e/builds.test.mjs fails if the two ever differ.
 */
export const TTFTThresholds = Object.freeze([500, 2000]);
export const PerceivedTTFTThresholds = Object.freeze([500, 2000]);
/** Smoothness is rated as the fluidity index (higher is better): [good ≥, poor <]. */
export const SmoothnessThresholds = Object.freeze([0.9, 0.75]);

function navigationType() {
  try {
    const nav = performance.getEntriesByType?.('navigation')?.[0];
    return nav?.type?.replace(/_/g, '-') ?? 'navigate';
  } catch { return 'navigate'; }
}

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * Perceived TTFT split into consecutive parts that add up to it exactly:
 * request → first byte → first content → first paint. Null when the report has no valid perceived TTFT.
 */
export function perceivedTtftAttribution(r) {
  const value = r?.perceivedTtftMs;
  if (!finite(value) || r.perceivedInvalidReason) return null;
  const clamp = (v, lo) => (finite(v) ? Math.min(Math.max(v, lo), value) : lo);
  const firstByte = clamp(r.ttftByRule?.firstByte, 0);
  const firstContent = clamp(r.ttftByRule?.firstContent, firstByte);
  const parts = {
    requestToFirstByteMs: firstByte,
    firstByteToFirstContentMs: firstContent - firstByte,
    firstContentToFirstPaintMs: value - firstContent,
  };
  return {
    ...parts,
    sendToRequestMs: finite(r.perceivedTtftFromSendMs) ? r.perceivedTtftFromSendMs - value : null,
    perceivedTtftFromSendMs: finite(r.perceivedTtftFromSendMs) ? r.perceivedTtftFromSendMs : null,
  };
}

function smoothnessAttribution(r) {
  const perceivedOk = !r.perceivedInvalidReason;
  const p = (v) => (perceivedOk ? v ?? null : null);
  return {
    fluidityIndex: r.fluidityIndex, gapP99Ms: r.gapP99Ms, stallCount: r.stallCount, stallLongestMs: r.stallLongestMs,
    renderLagP95Ms: p(r.renderLagP95Ms), charsPerPaintMax: p(r.charsPerPaintMax),
    unpaintedFrameCount: p(r.unpaintedFrameCount), longFrameCount: p(r.longFrameCount),
    longFrameBlockingMs: p(r.longFrameBlockingMs), longFrameTotalMs: p(r.longFrameTotalMs),
    longestFrame: perceivedOk ? r.longFrames?.[0] ?? null : null,
    perceivedInvalidReason: r.perceivedInvalidReason ?? null,
  };
}

/** Subscribes `cb` to one metric: `pick(report)` → {value, attribution} or null. */
function subscribe(name, ratingMetric, pick, cb, opts = {}, { onHide = true } = {}) {
  const sess = opts.session ?? defaultSession;
  const last = new Map(); // id → last reported value (dropped once final)
  const emit = (report, final) => {
    let picked;
    try { picked = report && pick(report); } catch (e) { diag(name, e); return; }
    const id = report?.id;
    if (!picked || !finite(picked.value) || picked.value < 0 || !id) { if (final) last.delete(id); return; }
    const prev = last.get(id);
    const delta = prev === undefined ? picked.value : picked.value - prev;
    if (final) last.delete(id); else last.set(id, picked.value);
    if (prev !== undefined && delta === 0 && !opts.reportAllChanges) return;
    let rating;
    try { rating = core.rate(ratingMetric, picked.value); } catch (e) { diag(name, e); }
    const metric = { name, value: picked.value, rating, delta, id, attribution: picked.attribution,
      navigationType: navigationType() };
    try { cb(metric); } catch (e) { diag(`${name} callback`, e); }
  };
  const unsubs = [sess.onReport((r) => emit(r, true))];
  if (onHide) {
    unsubs.push(onHidden((handles) => {
      for (const h of handles) {
        if (h.session && h.session !== sess) continue;
        const r = h.report();
        if (r) emit({ ...r, id: h.id }, false);
      }
    }));
  }
  return () => unsubs.forEach((u) => u());
}

/**
 * TTFT per response (the report's first-token rule). Attribution: {ttfbMs, firstByteMs, firstTokenRule}.
 * @param {(metric: object) => void} cb
 * @param {{session?: Session, reportAllChanges?: boolean}} [opts]
 * @returns an unsubscribe function
 */
export function onTTFT(cb, opts) {
  return subscribe('TTFT', 'ttft', (r) => ({
    value: r.ttftMs,
    attribution: { ttfbMs: r.ttfbMs, firstByteMs: r.ttftByRule?.firstByte ?? null, firstTokenRule: r.firstTokenRule },
  }), cb, opts);
}

/**
 * Perceived TTFT (first paint with visible text − request start) per response, skipped when its perceived
 * metrics are invalid (page hidden). Attribution: requestToFirstByteMs + firstByteToFirstContentMs +
 * firstContentToFirstPaintMs = value; sendToRequestMs and perceivedTtftFromSendMs when the send action is known.
 */
export function onPerceivedTTFT(cb, opts) {
  return subscribe('PerceivedTTFT', 'perceivedTtft', (r) => {
    const attribution = perceivedTtftAttribution(r);
    return attribution && { value: r.perceivedTtftMs, attribution };
  }, cb, opts, { onHide: false });
}

/**
 * Smoothness of a finished response: value = fluidity index (0–1, higher is better, rated with the fluidity
 * thresholds); attribution: network gaps/stalls and, when valid, render lag, bursts, unpainted frames and long
 * animation frames with the longest one's script.
 */
export function onSmoothness(cb, opts) {
  return subscribe('Smoothness', 'fluidity', (r) => ({ value: r.fluidityIndex, attribution: smoothnessAttribution(r) }),
    cb, opts, { onHide: false });
}
