// Perceived-accuracy test page: the kit's first-paint time against the browser's own Element Timing `paintTime`
// for the same text. Driven by tests/e2e/perceived-accuracy.test.mjs and the benchmark's perceived-accuracy row
// through window.schedulerTest.run(scenario).
//   shape 'scheduler': text is committed from a MessageChannel task posted from the app's own rAF callback, i.e. a
//                      task that runs after the frame's paint and before any task the kit posted later in that frame
//                      (what React's scheduler does when its work lands there);
//   shape 'append':    each read's text is appended as it arrives (plain appends).
//   typing:            a typing indicator ('…', ignored by the kit) appears in the bubble on the first read and goes at
//                      the first commit: with scheduler commits it paints one frame before the answer, in the same
//                      (marked) bubble, whose Element Timing entry then belongs to the indicator.
// Each answer is a <p> created on the first commit inside an empty bubble. The page reads the browser's
// `text-paint` entry for that <p> (whoever set its `elementtiming`: the page when `pageMarks`, else the kit).
import { load, begin, pump, observe } from '../kit/index.js';

/** Element Timing entries by element (the page's independent reference). */
const etByElement = new Map();
const etWaiters = new Map();
const elementTiming = typeof PerformanceObserver !== 'undefined'
  && !!PerformanceObserver.supportedEntryTypes?.includes('element');
if (elementTiming) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.element || etByElement.has(e.element)) continue;
      etByElement.set(e.element, e);
      etWaiters.get(e.element)?.(e);
    }
  }).observe({ type: 'element', buffered: true });
}

/**
 * The Element Timing entry of `el`'s first text paint, or null if none arrives within `timeoutMs`. Only an element
 * with an `elementtiming` attribute (set by the page's `pageMarks` or by the kit) gets one: an unmarked one is null at
 * once (waiting out the timeout for it made each Chromium response of an `elementTiming: false` run take 2 s).
 */
function entryFor(el, timeoutMs = 2000) {
  if (!el || !elementTiming) return Promise.resolve(null);
  if (etByElement.has(el)) return Promise.resolve(etByElement.get(el));
  if (!el.hasAttribute('elementtiming')) return Promise.resolve(null);
  return new Promise((resolve) => {
    const t = setTimeout(() => { etWaiters.delete(el); resolve(null); }, timeoutMs);
    etWaiters.set(el, (e) => { clearTimeout(t); etWaiters.delete(el); resolve(e); });
  });
}

// The app's own frame loop (always running, as a UI framework's would be): registered from its own rAF callback,
// so in every frame it runs before the kit's rAF callback, which the kit requests later, from its post-frame task.
const rafJobs = [];
// The app's rAF times (it is the first rAF callback of each frame, so each is before that frame's rendering): with
// the layout times below, the engine-independent reference where no browser paint time exists. A paint time between
// two frames' rAF callbacks belongs to the earlier frame.
const rafLog = [];
// The layout of each frame: a ResizeObserver's delivery, which runs after all of the frame's rAF callbacks and its
// layout, before its paint. Text committed before it is painted in that frame even when the commit ran after the
// app's rAF callback: in WebKit under load, a read's continuation was seen to run between two rAF callbacks of one
// frame (the app's and the kit's), and that frame painted it. A 1 px probe changes width in every app frame so the
// observer fires in every frame.
const layoutLog = [];
const probe = document.createElement('div');
probe.style.cssText = 'position:absolute;left:0;top:0;height:1px;width:1px;visibility:hidden';
document.documentElement.append(probe);
const resizeObserved = typeof ResizeObserver === 'function';
if (resizeObserved) {
  new ResizeObserver(() => {
    layoutLog.push(performance.now());
    if (layoutLog.length > 4096) layoutLog.splice(0, 2048);
  }).observe(probe);
}
function appFrame() {
  rafLog.push(performance.now());
  if (rafLog.length > 4096) rafLog.splice(0, 2048);
  probe.style.width = `${1 + (rafLog.length % 2)}px`;
  for (const job of rafJobs.splice(0)) job();
  requestAnimationFrame(appFrame);
}
requestAnimationFrame(appFrame);

/**
 * The first frame that can show text committed at `t`: the frame of the first layout after `t` (the last app rAF
 * callback before that layout), else (no ResizeObserver) the first frame whose app rAF callback ran after `t`.
 */
function firstFrameAfter(t) {
  if (!resizeObserved) return rafLog.findIndex((f) => f > t);
  const layout = layoutLog.find((l) => l > t);
  return layout === undefined ? -1 : rafLog.findLastIndex((f) => f < layout);
}

/** Runs `fn` in a MessageChannel task posted from the app's next rAF callback (after that frame's paint). */
function commitAfterPaint(fn) {
  rafJobs.push(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = fn;
    ch.port2.postMessage(null);
  });
}

/** TTFT moved by a different fraction of a frame per response, so first text lands at every phase of the frame. */
const phased = (ttftMs = 40, index = 0) => ttftMs + ((index * 5.3) % 16.7);

async function runOne(s, index) {
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  document.querySelector('#log').append(bubble);
  // Wait for the empty bubble to be on screen: the answer's text is the only paint being timed.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const startMs = performance.now();
  const handle = begin({ format: 'text', label: `acc-${index}`, startMs });
  observe(bubble, handle, { paints: s.paints, elementTiming: s.elementTiming });
  const fetched = await fetch('/api/text', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim', sim: { profile: 'scripted', ...s.sim, ttft_ms: phased(s.sim.ttft_ms, index) } }),
  });
  handle.headers(fetched.status, fetched.headers);
  const [appBranch, kitBranch] = fetched.body.tee();
  const kitDone = pump(kitBranch, handle, undefined, { end: false });
  const reader = appBranch.getReader();
  const dec = new TextDecoder();
  let p = null;
  let commitAt = null; // when the first text was committed
  let pending = '';
  let scheduled = false;
  let typing = null; // `typing`: an indicator shown from the first read until the first commit (inside the bubble)
  const commit = () => {
    scheduled = false;
    if (!pending) return;
    typing?.remove();
    typing = null;
    if (!p) {
      p = document.createElement('p');
      if (s.pageMarks) p.setAttribute('elementtiming', `answer-${index}`);
      p.textContent = pending;
      bubble.append(p);
      commitAt = performance.now();
    } else {
      p.append(pending);
    }
    pending = '';
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += dec.decode(value, { stream: true });
    if (s.typing && !p && !typing) {
      typing = document.createElement('span');
      typing.className = 'typing-indicator';
      typing.textContent = '…';
      bubble.append(typing);
    }
    if (s.shape === 'scheduler') {
      if (!scheduled) { scheduled = true; commitAfterPaint(commit); }
    } else {
      commit();
    }
  }
  const ended = await kitDone;
  // Let the last commit and its paint happen (a scheduled commit runs after the next rAF), then end.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
  const report = handle.end(ended.outcome, ended.atMs);
  const ref = await entryFor(p);
  const kitPaintMs = report?.perceivedTtftMs == null ? null : startMs + report.perceivedTtftMs;
  // Frames between the first commit and the kit's paint time, by the app's rAF times: 0 = the kit credited the first
  // frame that could show the text (the first layout after the commit); < 0 = early (a frame laid out before the text
  // was in the DOM).
  const commitFrame = commitAt === null ? -1 : firstFrameAfter(commitAt);
  const kitFrame = kitPaintMs === null ? -1 : rafLog.findLastIndex((t) => t <= kitPaintMs);
  const frameRef = commitFrame < 0 || kitFrame < 0 ? null
    : { framesLate: kitFrame - commitFrame, commitFrameStartMs: rafLog[commitFrame], sinceFrameStartMs: kitPaintMs - rafLog[commitFrame] };
  return {
    kitPaintMs,
    etPaintMs: ref ? (ref.paintTime ?? ref.renderTime) : null,
    etPresentationMs: ref ? (ref.presentationTime ?? ref.renderTime) : null,
    commitMs: commitAt,
    frameRef,
    paintSource: report?.paintSource ?? null,
    presentedMs: report?.perceivedTtftPresentedMs == null ? null : startMs + report.perceivedTtftPresentedMs,
    chars: p ? [...p.textContent].length : 0,
    marks: { bubble: bubble.getAttribute('elementtiming'), p: p?.getAttribute('elementtiming') ?? null },
    contentChars: report?.contentChars ?? null,
  };
}

window.schedulerTest = {
  ready: load(),
  elementTiming,
  /** Median rAF interval over 30 frames. */
  async frameMs() {
    const ts = [];
    await new Promise((resolve) => {
      const f = (t) => { ts.push(t); if (ts.length < 31) requestAnimationFrame(f); else resolve(); };
      requestAnimationFrame(f);
    });
    const d = ts.slice(1).map((t, i) => t - ts[i]).sort((a, b) => a - b);
    return d[d.length >> 1];
  },
  /** Runs `n` responses one after another; resolves one result per response (errors in ms: kit − Element Timing). */
  async run(s, n = 1) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = await runOne(s, i);
      r.errorMs = r.kitPaintMs !== null && r.etPaintMs !== null ? r.kitPaintMs - r.etPaintMs : null;
      out.push(r);
      document.querySelector('#log').replaceChildren(); // keep the page small
    }
    return out;
  },
};
