// Test page for perceived measurement: renders simulated streams the way chat UIs do. Driven by
// tests/e2e/perceived.test.mjs through window.perceivedTest.run(scenario).
//   mode 'immediate': append each chunk's text as it arrives
//   mode 'throttle':  buffer text, update the DOM at most every `throttleMs` (AI SDK useChat throttle)
//   mode 'block':     every `blockEvery` chunks, block the main thread `blockMs` before appending (markdown re-render)
//   lateBubble:       the bubble is created on the first token; observe() is bound by selector before it exists
import { load, begin, pump, observe, session, onTTFT, onPerceivedTTFT, onSmoothness, diagnostics } from '../kit/index.js';

const vitals = [];
onTTFT((m) => vitals.push(m));
onPerceivedTTFT((m) => vitals.push(m));
onSmoothness((m) => vitals.push(m));

const dec = () => new TextDecoder();

function busy(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a main-thread block */ }
}

async function runOne(s, index) {
  const log = document.querySelector('#log');
  const id = `bubble-${index}-${Math.random().toString(36).slice(2)}`;
  let bubble = null;
  const makeBubble = () => {
    bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.id = id;
    log.append(bubble);
  };
  if (!s.lateBubble) {
    makeBubble();
    // An empty bubble with a typing indicator: neither counts as visible answer text.
    const dots = document.createElement('span');
    dots.className = 'typing-indicator';
    dots.textContent = '…';
    bubble.append(dots);
  }
  // The manual path (as the audit page does): the kit reads one branch of the body, the app renders the other,
  // and the response ends once the app has rendered its last text (so the last paint is measured).
  const handle = begin({ format: 'text', label: s.label ?? `#${index}` });
  if (s.markSend) handle.markSend();
  // Every paint and frame the observer hands to the handle (to check what `paints: 'first'` stops).
  const calls = { paints: [], frames: [] };
  const { paint, frame } = handle;
  // Every argument passes through (observe() adds the paint's source and presentation time).
  handle.paint = (...args) => { calls.paints.push(args[1]); return paint(...args); };
  handle.frame = (...args) => { calls.frames.push(args[0]); return frame(...args); };
  observe(s.lateBubble ? `#${id}` : bubble, handle, { paints: s.paints });
  const fetched = await fetch('/api/text', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim', sim: { profile: 'scripted', ...s.sim } }),
  });
  handle.headers(fetched.status, fetched.headers);
  const [appBranch, kitBranch] = fetched.body.tee();
  const kitDone = pump(kitBranch, handle, undefined, { end: false });
  const res = { body: appBranch };
  const reader = res.body.getReader();
  const d = dec();
  let pending = '';
  let timer = null;
  let armedAt = 0;
  let timerLateMaxMs = 0; // how much later than `throttleMs` the app's own timer fired (main-thread stalls)
  let chunks = 0;
  const flushText = () => {
    if (timer !== null) timerLateMaxMs = Math.max(timerLateMaxMs, performance.now() - armedAt - (s.throttleMs ?? 100));
    timer = null;
    if (!pending) return;
    if (!bubble) makeBubble();
    bubble.querySelector('.typing-indicator')?.remove();
    bubble.append(pending);
    pending = '';
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += d.decode(value, { stream: true });
    chunks++;
    if (s.mode === 'throttle') {
      if (timer === null) { armedAt = performance.now(); timer = setTimeout(flushText, s.throttleMs ?? 100); }
    } else {
      if (s.mode === 'block' && chunks % (s.blockEvery ?? 3) === 0) busy(s.blockMs ?? 80);
      flushText();
    }
  }
  if (timer !== null) { clearTimeout(timer); timer = null; flushText(); }
  const ended = await kitDone;
  // Let the last text reach the screen: one frame plus the task after it.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
  const report = handle.end(ended.outcome, ended.atMs);
  return { report, chars: [...(bubble?.textContent ?? '')].length, paintCalls: calls.paints.length, timerLateMaxMs,
    framesAfterFirstPaint: calls.frames.filter((t) => t > calls.paints[0]).length };
}

// Frame interval (median rAF delta over 30 frames), for the test's one-frame tolerance.
async function frameMs() {
  const ts = [];
  await new Promise((resolve) => {
    const f = (t) => { ts.push(t); if (ts.length < 31) requestAnimationFrame(f); else resolve(); };
    requestAnimationFrame(f);
  });
  const d = ts.slice(1).map((t, i) => t - ts[i]).sort((a, b) => a - b);
  return d[d.length >> 1];
}

window.perceivedTest = {
  ready: load(),
  frameMs,
  vitals,
  diagnostics,
  summary: () => session.summary(),
  /** Runs the scenarios concurrently; resolves [{report, chars}] in order. */
  async run(scenarios) {
    vitals.length = 0;
    return Promise.all(scenarios.map((s, i) => runOne(s, i)));
  },
};
