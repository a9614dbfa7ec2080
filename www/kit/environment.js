// What browser a measurement ran in and what that browser can measure: the engine named honestly from the
// user-agent string (WebKitGTK and WPE say "Version/60.5 Safari/…" but are not Safari), the features the kit's
// metrics depend on (feature detection, never the UA), and the metrics that are therefore not available.
import { loafSupported, loafPaintTime } from './frames.js';

const APPLE_DEVICE = /\b(Macintosh|iPhone|iPad|iPod)\b/;

/**
 * Names the browser and its engine from a user-agent string (and `navigator.userAgentData.brands`, where present).
 * Safari is only a WebKit browser on an Apple device; any other WebKit (WebKitGTK, WPE, …) is "WebKit": its UA carries
 * no engine version of its own (AppleWebKit/605.1.15 is frozen, Version/ imitates Safari), so browserVersion is null.
 * @returns {{engine: 'Blink'|'Gecko'|'WebKit'|'unknown', browser: string, browserVersion: string|null}}
 */
export function describeBrowser(userAgent, brands = []) {
  const ua = String(userAgent ?? '');
  const brand = brands?.find((b) => /Chrom/.test(b.brand));
  const chrome = ua.match(/\b(?:Chrome|Chromium|HeadlessChrome)\/([\d.]+)/);
  if (brand || chrome) return { engine: 'Blink', browser: brand?.brand ?? 'Chromium', browserVersion: chrome?.[1] ?? brand?.version ?? null };
  const firefox = ua.match(/\bFirefox\/([\d.]+)/);
  if (firefox) return { engine: 'Gecko', browser: 'Firefox', browserVersion: firefox[1] };
  if (/\bAppleWebKit\//.test(ua)) {
    const version = ua.match(/\bVersion\/([\d.]+)/);
    if (APPLE_DEVICE.test(ua) && /\bSafari\//.test(ua) && version) return { engine: 'WebKit', browser: 'Safari', browserVersion: version[1] };
    return { engine: 'WebKit', browser: 'WebKit', browserVersion: null };
  }
  return { engine: 'unknown', browser: 'unknown', browserVersion: null };
}

/** True when the browser delivers Element Timing entries (`elementtiming` attributes). */
function elementTimingSupported() {
  return typeof PerformanceObserver !== 'undefined' && !!PerformanceObserver.supportedEntryTypes?.includes('element');
}

/**
 * What this browser offers the kit, by feature detection: Long Animation Frames (long-frame metrics, script
 * attribution), their `paintTime` (paint times of long frames), Element Timing, and SharedArrayBuffer (absent in
 * WebKitGTK/WPE even when cross-origin isolated).
 */
export function capabilities() {
  return {
    longAnimationFrame: loafSupported,
    longAnimationFramePaintTime: loafPaintTime,
    elementTiming: elementTimingSupported(),
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  };
}

/** Report fields that a browser with `caps` cannot measure (they are null in its reports, not zero). */
export function unavailableMetrics(caps) {
  return caps.longAnimationFrame ? [] : ['longFrameCount', 'longFrameTotalMs', 'longFrameBlockingMs', 'longFrameMaxMs', 'longFrames'];
}

/** Smallest non-zero step of performance.now() seen in a short spin (5 µs in Chromium when cross-origin isolated). */
export function measureTimerResolutionMs() {
  let best = Infinity;
  let last = performance.now();
  for (let i = 0, seen = 0; i < 200000 && seen < 50; i++) {
    const t = performance.now();
    if (t !== last) { best = Math.min(best, t - last); last = t; seen++; }
  }
  return Number.isFinite(best) ? Math.round(best * 1e6) / 1e6 : null;
}

/** The environment block of a report: browser and engine, isolation, timer resolution, capabilities. */
export function environment() {
  const nav = globalThis.navigator ?? {};
  const caps = capabilities();
  return {
    userAgent: nav.userAgent ?? '',
    ...describeBrowser(nav.userAgent, nav.userAgentData?.brands),
    crossOriginIsolated: !!globalThis.crossOriginIsolated,
    timerResolutionMs: measureTimerResolutionMs(),
    hardwareConcurrency: nav.hardwareConcurrency ?? null,
    pageUrl: globalThis.location ? location.origin + location.pathname : null,
    capabilities: caps,
    unavailableMetrics: unavailableMetrics(caps),
  };
}
