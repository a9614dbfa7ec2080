// Responses in flight, page visibility and the user's send action.
//  - A response that is live while the page is hidden gets its perceived metrics invalidated ('page-hidden'), and
//    listeners of onHidden() can flush what they have (web-vitals flushes on visibilitychange to hidden).
//  - A trusted form submit or Enter keydown (without Shift, not composing) is remembered as the send action; begin()
//    marks it on a response that starts within SEND_WINDOW_MS after it.
import { diag } from './core.js';

const hasDocument = typeof document !== 'undefined';
const live = new Set();
const hiddenSubs = new Set();

/** How long after a send action a request still counts as caused by it. */
export const SEND_WINDOW_MS = 1000;
let lastSendAt = null;

export function isHidden() {
  return hasDocument && document.visibilityState === 'hidden';
}

/** Registers a live handle (until untrack). */
export function track(handle) { live.add(handle); }
export function untrack(handle) { live.delete(handle); }
/** Handles currently live. */
export function liveHandles() { return [...live]; }

/** Calls `cb(liveHandles)` when the page becomes hidden. Returns an unsubscribe function. */
export function onHidden(cb) { hiddenSubs.add(cb); return () => hiddenSubs.delete(cb); }

/** The last send action (performance.now() ms) if it was at most SEND_WINDOW_MS before `atMs`. */
export function recentSendAction(atMs) {
  return lastSendAt !== null && atMs >= lastSendAt && atMs - lastSendAt <= SEND_WINDOW_MS ? lastSendAt : null;
}

if (hasDocument) {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden') return;
    const handles = [...live];
    for (const h of handles) h.invalidatePerceived('page-hidden');
    for (const cb of [...hiddenSubs]) {
      try { cb(handles); } catch (e) { diag('onHidden callback', e); }
    }
  }, true);
  const stamp = (e) => { lastSendAt = e.timeStamp || performance.now(); };
  addEventListener('submit', stamp, { capture: true, passive: true });
  addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    const t = e.target;
    if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.isContentEditable)) stamp(e);
  }, { capture: true, passive: true });
}
