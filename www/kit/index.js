// chat-vitals: the browser layer. Takes timestamps (performance.now()) and hands bytes + times to the wasm core;
// does no metric math itself. Every entry point is wrapped so that a measurement failure is recorded in
// `diagnostics` and never thrown into app code; the app always gets the same Response/bytes it would have got.
//
//   import { load, wrapFetch, session } from 'chat-vitals';
//   await load();
//   const fetch2 = wrapFetch(fetch, { onReport: (r) => console.log(r.ttftMs) });
//
export { load, loadFull, isFull, loadSync, diagnostics, core, isLoaded } from './core.js';
export { Session, session } from './session.js';
export { begin, pump } from './measure.js';
export { wrapFetch } from './fetch.js';
export { observe, visibleChars, afterNextPaint, DEFAULT_IGNORE } from './observe.js';
export { onTTFT, onPerceivedTTFT, onSmoothness, perceivedTtftAttribution, TTFTThresholds, PerceivedTTFTThresholds,
  SmoothnessThresholds } from './vitals.js';
export { liveHandles, onHidden } from './live.js';
export { environment, capabilities, describeBrowser } from './environment.js';
