// A React 19 chat that renders each streamed answer with react-markdown, measured the way a new user would
// integrate the kit: `wrapFetch(fetch, {observe: '.bubble.assistant:last-child'})`. Each read's text goes into React
// state with a plain setState from the read loop, so React's scheduler commits it from its own MessageChannel task,
// which may run between a frame's paint and the kit's post-frame task (issue 12). The page reads the browser's
// Element Timing `text-paint` entry for the answer's first <p> as the independent reference (marked by the page
// with `pageMarks`, else by the kit). Driven by tests/e2e/perceived-accuracy.test.mjs and the benchmark's
// perceived-accuracy row through window.reactChat.run(scenario, n). Needs www/vendor/react.js (scripts/vendor.mjs).
import { createElement as h, useState, useEffect, createRoot, Markdown } from '../vendor/react.js';
import { load, wrapFetch, session, diagnostics } from '../kit/index.js';

const etByElement = new Map();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.element && !etByElement.has(e.element)) etByElement.set(e.element, e);
}).observe({ type: 'element', buffered: true });

let pageMarks = false;
// react-markdown passes its syntax-tree `node` to components; it is not a DOM attribute.
const components = {
  p: ({ node, ...props }) => h('p', pageMarks ? { ...props, elementtiming: 'answer' } : props),
};

let setMessagesRef = null;
function App() {
  const [messages, setMessages] = useState([]);
  useEffect(() => { setMessagesRef = setMessages; }, []);
  return h('div', { id: 'log' }, messages.map((m) => h('div', { key: m.id, className: `bubble ${m.role}` },
    m.role === 'assistant' ? h(Markdown, { components }, m.text) : m.text)));
}
createRoot(document.querySelector('#app')).render(h(App));

const until = async (fn, timeoutMs = 2000) => {
  const t0 = performance.now();
  for (;;) {
    const v = fn();
    if (v || performance.now() - t0 > timeoutMs) return v ?? null;
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** TTFT moved by a different fraction of a frame per response, so first text lands at every phase of the frame. */
const phased = (ttftMs = 40, index = 0) => ttftMs + ((index * 5.3) % 16.7);

async function runOne(s, index) {
  pageMarks = !!s.pageMarks;
  let resolveReport;
  const reported = new Promise((r) => { resolveReport = r; });
  const fetch2 = wrapFetch(window.fetch, {
    observe: '.bubble.assistant:last-child', paints: s.paints, elementTiming: s.elementTiming, format: 'text',
    label: `react-${index}`, onReport: resolveReport,
  });
  const id = `a${index}-${Math.random().toString(36).slice(2)}`;
  setMessagesRef((ms) => [...ms.slice(-4), { id: `u${id}`, role: 'user', text: 'hi' }, { id, role: 'assistant', text: '' }]);
  const res = await fetch2('/api/text', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim', sim: { profile: 'scripted', ...s.sim, ttft_ms: phased(s.sim.ttft_ms, index) } }),
  });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = dec.decode(value, { stream: true });
    setMessagesRef((ms) => ms.map((m) => (m.id === id ? { ...m, text: m.text + text } : m)));
  }
  const report = await reported;
  const p = document.querySelector('.bubble.assistant:last-child p');
  const ref = await until(() => etByElement.get(p));
  const startMs = report.requestStartUnixMs - performance.timeOrigin;
  const kitPaintMs = report.perceivedTtftMs == null ? null : startMs + report.perceivedTtftMs;
  const etPaintMs = ref ? (ref.paintTime || ref.renderTime) : null;
  return {
    kitPaintMs, etPaintMs, errorMs: kitPaintMs !== null && etPaintMs !== null ? kitPaintMs - etPaintMs : null,
    etPresentationMs: ref ? (ref.presentationTime || ref.renderTime) : null,
    presentedMs: report.perceivedTtftPresentedMs == null ? null : startMs + report.perceivedTtftPresentedMs,
    paintSource: report.paintSource ?? null, paintScope: report.paintScope,
    chars: [...(document.querySelector('.bubble.assistant:last-child')?.textContent ?? '')].length,
    contentChars: report.contentChars, paintCount: report.paintCount, invalid: report.perceivedInvalidReason,
  };
}

window.reactChat = {
  ready: load(),
  elementTiming: !!PerformanceObserver.supportedEntryTypes?.includes('element'),
  diagnostics,
  /** Runs `n` responses one after another; one result per response (errorMs = kit − Element Timing paintTime). */
  async run(s, n = 1) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await runOne(s, i));
    return out;
  },
};
