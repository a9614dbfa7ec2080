// Paint and frame records of one observed response, in frame order, each waiting (bounded) for a better paint time
// than the kit's own post-frame task: the browser's Element Timing `paintTime` for the first paint (when elements the
// kit or the app marked with `elementtiming` show its text) and the Long Animation Frame `paintTime` for long frames.
// Pure logic (no DOM): tests/e2e/paint-queue.test.mjs drives it with plain objects.

/** Paint sources, best first. `frame`: the task the kit posted from the frame's rAF callback, which runs after the paint. */
export const PAINT_SOURCES = Object.freeze(['element-timing', 'long-animation-frame', 'frame']);

/**
 * @param {(item: object) => void} deliver called once per record, in order: `{kind: 'paint', chars, at, source,
 *   presentedAt}` or `{kind: 'frame', at}`
 * @param {{waitMs?: number, clockToleranceMs?: number}} [options] waitMs: how long a record waits for its browser
 *   entries before it keeps what it has. clockToleranceMs: an Element Timing paint time this much after the kit's
 *   post-frame time still counts as this frame's (the browser's times and `performance.now()` are coarsened
 *   separately).
 */
export function createPaintQueue(deliver, { waitMs = 1000, clockToleranceMs = 1 } = {}) {
  const items = [];
  const resolved = (it) => !it.waitLoaf && !it.waitElements;
  return {
    get length() { return items.length; },
    /**
     * A frame's paint that made `chars` visible: `rafAt` the frame's rAF callback, `paintAt` the post-frame task
     * (after the paint, so never early). `waitLoaf`: the frame may be long (its LoAF entry may carry paintTime).
     * `elements`: marked elements that show text in this paint (their Element Timing entries may time it); each
     * `{element, markedAt}` (`markedAt`: when the kit saw it added or marked it, a lower bound of its paint).
     */
    paint({ chars, rafAt, paintAt, waitLoaf = false, elements = null, queuedAt = paintAt }) {
      items.push({
        kind: 'paint', chars, at: paintAt, paintAt, rafAt, source: 'frame', presentedAt: null, queuedAt,
        waitLoaf, waitElements: elements?.length ? elements : null,
      });
    },
    /** A rendered frame (the core counts frames that leave arrived text unpainted). */
    frame(rafAt, queuedAt = rafAt) { items.push({ kind: 'frame', at: rafAt, rafAt, queuedAt, waitLoaf: false, waitElements: null }); },
    /** A Long Animation Frame entry: paints of frames inside it take its paintTime (never before their rAF). */
    longFrame(entry) {
      const paintTime = entry.paintTime;
      if (!(paintTime > 0)) return;
      for (const it of items) {
        if (it.kind !== 'paint' || !it.waitLoaf) continue;
        if (it.rafAt < entry.startTime || it.rafAt > entry.startTime + entry.duration) continue;
        it.waitLoaf = false;
        if (it.source === 'element-timing') continue;
        const at = Math.max(it.rafAt, paintTime);
        if (at < it.at) { it.at = at; it.source = 'long-animation-frame'; }
        if (entry.presentationTime > 0 && it.presentedAt === null) it.presentedAt = entry.presentationTime;
      }
    },
    /**
     * An Element Timing entry (`text-paint`): a paint waiting for this element takes the entry's paintTime if it is
     * plausible for this paint — not before the element was marked or this frame's rAF callback (the text was
     * counted there, so its paint cannot be earlier), not after the kit's own post-frame time; an implausible one
     * only stops the wait for that element —
     * and its presentation time (presentationTime, else renderTime) beside it. Browsers without `paintTime` on the
     * entry (before Chrome 145) give only renderTime, a presentation time: that is kept as `presentedAt`, the paint
     * stays timed by its frame.
     */
    elementTiming(entry) {
      for (const it of items) {
        if (it.kind !== 'paint' || !it.waitElements) continue;
        const k = it.waitElements.findIndex((m) => m.element === entry.element);
        if (k < 0) continue;
        const [mark] = it.waitElements.splice(k, 1);
        const presented = entry.presentationTime > 0 ? entry.presentationTime : entry.renderTime > 0 ? entry.renderTime : null;
        const paintTime = entry.paintTime;
        if (paintTime > 0) {
          // Another paint's: before the element was marked, before this frame's rAF callback (an earlier frame, e.g. a
          // typing indicator's text in the same element), or after the kit's own post-frame time.
          if (paintTime < mark.markedAt || paintTime < it.rafAt - clockToleranceMs || paintTime > it.paintAt + clockToleranceMs) {
            if (!it.waitElements.length) it.waitElements = null;
            continue;
          }
          it.waitElements = null;
          it.at = Math.min(paintTime, it.paintAt);
          it.source = 'element-timing';
          it.presentedAt = presented;
          it.waitLoaf = false;
        } else {
          it.waitElements = null;
          if (presented !== null && presented >= it.paintAt - clockToleranceMs) it.presentedAt = presented;
        }
      }
    },
    /** Delivers the records at the head that are resolved, waited `waitMs`, or all of them when `force`. */
    flush(force = false, now = performance.now()) {
      while (items.length) {
        const it = items[0];
        if (!force && !resolved(it) && now - it.queuedAt < waitMs) break;
        items.shift();
        deliver(it.kind === 'paint'
          ? { kind: 'paint', chars: it.chars, at: it.at, source: it.source, presentedAt: it.presentedAt }
          : { kind: 'frame', at: it.at });
      }
    },
  };
}
