// Row 8: the first response of a fresh page (bench/run.mjs opens this page in a fresh browser profile per sample).
// One app, three modes: `bare` (no kit; the app stamps its own reads), `fetch` (the kit loaded at start-up, the app's
// fetch wrapped with wrapFetch), `observe` (wrapFetch + observe on the bubble). The app renders like a chat UI and
// stamps each read itself in every mode; the kit's stamps come from its report. The runner compares both to the
// simulated endpoint's log of when each write was sent.
const mode = new URLSearchParams(location.search).get('mode') ?? 'bare';
let kit = null;
let loadMs = null;

export const ready = (async () => {
  if (mode === 'bare') return true;
  const t0 = performance.now();
  kit = await import('../kit/index.js');
  if (!(await kit.load())) throw new Error(`kit failed to load: ${JSON.stringify(kit.diagnostics)}`);
  loadMs = performance.now() - t0;
  timeWasmCalls(kit.core);
  return true;
})();

// The kit's calls into the wasm core, self-timed per response: where first-call work (lazy compilation, first
// allocations) would show. [name, ms] of the longest call, and the total.
let calls = { totalMs: 0, longest: null };
function timeWasmCalls(core) {
  for (const cls of [core.Meter, core.Aggregate]) {
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      const orig = Object.getOwnPropertyDescriptor(cls.prototype, name).value;
      if (typeof orig !== 'function' || name === 'constructor' || name === 'free') continue;
      cls.prototype[name] = function timed(...a) {
        const t0 = performance.now();
        try { return orig.apply(this, a); } finally {
          const ms = performance.now() - t0;
          calls.totalMs += ms;
          if (!calls.longest || ms > calls.longest[1]) calls.longest = [`${cls.name}.${name}`, ms];
        }
      };
    }
  }
}

/** The app: fetch a stream, stamp each read, parse SSE, append the deltas to the bubble. */
async function appStream(fetchFn, url, body, bubble) {
  const start = performance.now();
  const res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const headersMs = performance.now() - start;
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  const reads = [];
  let buf = '';
  for (;;) {
    const { done, value } = await reader.read();
    const at = performance.now() - start;
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let chars = 0;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i); buf = buf.slice(i + 2);
      if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
      const c = JSON.parse(ev.slice(6)).choices?.[0]?.delta?.content;
      if (c) { bubble.append(c); chars += [...c].length; }
    }
    reads.push([at, chars]);
  }
  return { startMs: start, headersMs, firstByteMs: reads[0]?.[0] ?? null, reads };
}

/**
 * When the browser's network stack had the response headers (Resource Timing `responseStart`, same clock as
 * performance.now()): the reference the stamps are compared to, unaffected by how busy the main thread was.
 */
async function responseStart(url) {
  const href = new URL(url, location.href).href;
  for (let i = 0; i < 50; i++) {
    const e = performance.getEntriesByName(href, 'resource').at(-1);
    if (e) return e.responseStart;
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}

/**
 * Runs `seeds.length` responses one after another (the first is the cold one). Returns per response the stamps of
 * the app and (with the kit) of the kit: {startMs, headersMs, firstByteMs, reads: [[atMs, contentChars]]}, relative to
 * their request start `startMs` (the kit's timeline has a record per read that carried deltas; the app's has every read).
 */
export async function run({ api, seeds, ttftMs, gapsMs }) {
  const out = [];
  for (const seed of seeds) {
    const bubble = document.createElement('p');
    document.getElementById('chat').replaceChildren(bubble);
    const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }],
      sim: { ttft_ms: ttftMs, gaps_ms: gapsMs, tokens: gapsMs.length + 1 } });
    const url = `${api}/p/scripted,seed=${seed}/v1/chat/completions`;
    calls = { totalMs: 0, longest: null };
    let report = null;
    const reported = new Promise((resolve) => { report = resolve; });
    const fetchFn = kit
      ? kit.wrapFetch(fetch, { onReport: report, ...(mode === 'observe' ? { observe: bubble } : {}) })
      : fetch;
    const app = await appStream(fetchFn, url, body, bubble);
    let kitStamps = null;
    if (kit) {
      const r = await Promise.race([reported, new Promise((res) => setTimeout(() => res(null), 5000))]);
      if (r) kitStamps = { startMs: r.requestStartUnixMs - performance.timeOrigin, headersMs: r.ttfbMs, firstByteMs: r.ttftByRule.firstByte,
        reads: r.timeline.chunks.map((c) => [c.atMs, c.contentChars]) };
    }
    out.push({ seed, app, kit: kitStamps, wasmCalls: kit ? calls : null, responseStartMs: await responseStart(url) });
  }
  return { mode, loadMs, responses: out };
}

window.cold = { ready, run };
