// Benchmark rows that run inside the page (bench/run.mjs drives them). Every peer runs here too, in the same page
// and on the same data, so the runner can print ratios. Timing: performance.now() (5 µs steps when cross-origin
// isolated). No row throws on a slow machine; each returns plain numbers.
import { load, loadFull, core, wrapFetch, observe, begin, Session } from '../kit/index.js';
import * as hdrModule from '../vendor/hdr-histogram.js';
import { createParser } from '../vendor/eventsource-parser.js';

// The vendored bundle wraps a UMD build: its named exports sit on `default`.
const hdr = hdrModule.initWebAssembly ? hdrModule : hdrModule.default;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Deterministic PRNG (mulberry32) and a normal sample (Box–Muller).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function lognormalUs(n, seed = 42) {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
    out[i] = Math.min(60e6, Math.max(1, Math.round(2000 * Math.exp(2.0 * z))));
  }
  return out;
}

/** Smallest non-zero step of performance.now() seen in a short loop (ms). */
export function timerResolutionMs() {
  let min = Infinity;
  let last = performance.now();
  for (let i = 0; i < 200000 && min > 0.001; i++) {
    const t = performance.now();
    if (t !== last) { min = Math.min(min, t - last); last = t; }
  }
  return min;
}

// ---- Row 1: histogram recording, ns/value, on the same lognormal µs sequence ----
const HDR_OPTS = { numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, bitBucketSize: 32 };

/** Rows 1 and 2 run on either build: `build: 'full'` swaps the kit's `core` to the full build first. */
async function useBuild(build) {
  if (build === 'full' && !(await loadFull())) throw new Error('the full build did not load');
  if (core.full() !== (build === 'full')) throw new Error(`core is not the ${build} build`);
}

export async function histogram({ n = 1_000_000, reps = 5, build = 'embedded' } = {}) {
  await useBuild(build);
  await hdr.initWebAssembly();
  const us = lognormalUs(n);
  const ms = us.map((v) => v / 1000);
  const run = (fn) => { const xs = []; for (let r = 0; r < reps + 1; r++) { const t0 = performance.now(); fn(); const dt = performance.now() - t0; if (r > 0) xs.push(dt); } return median(xs) * 1e6 / n; };
  const peerJs = run(() => { const h = hdr.build({ ...HDR_OPTS, useWebAssembly: false }); for (let i = 0; i < n; i++) h.recordValue(us[i]); });
  const peerWasm = run(() => { const h = hdr.build({ ...HDR_OPTS, useWebAssembly: true }); for (let i = 0; i < n; i++) h.recordValue(us[i]); h.destroy(); });
  // Ours, batched: one call per 1024 values (how a page would flush a typed-array buffer), and one call for all.
  const ours1024 = run(() => { const a = new core.Aggregate(); for (let i = 0; i < n; i += 1024) a.recordValues('gaps', ms.subarray(i, i + 1024)); a.free(); });
  const oursAll = run(() => { const a = new core.Aggregate(); a.recordValues('gaps', ms); a.free(); });
  // Ours, one value per call (the boundary cost per crossing).
  const oneVal = new Float64Array(1);
  const oursPerCall = run(() => { const a = new core.Aggregate(); for (let i = 0; i < n; i++) { oneVal[0] = ms[i]; a.recordValues('gaps', oneVal); } a.free(); });
  // The real hot path: performance.now() + Meter.chunk(atMs, one SSE event) → decoder → gap histogram, per chunk.
  const enc = new TextEncoder();
  const ev = enc.encode('data: {"choices":[{"index":0,"delta":{"content":" word"}}]}\n\n');
  const chunks = Math.min(n, 200_000);
  const hot = []; let sink = 0;
  for (let r = 0; r < reps + 1; r++) {
    const m = new core.Meter(0, { format: 'openai-chat', timelineCap: 0 });
    let at = 0;
    const t0 = performance.now();
    for (let i = 0; i < chunks; i++) { sink += performance.now(); at += us[i] / 1000; m.chunk(at, ev); }
    const dt = performance.now() - t0;
    if (r > 0) hot.push(dt * 1e6 / chunks);
    if (r === reps) sink += m.report().gapCount;
    m.free();
  }
  // Check: both histograms agree on the median of the same values.
  const h = hdr.build({ ...HDR_OPTS, useWebAssembly: false }); for (let i = 0; i < n; i++) h.recordValue(us[i]);
  const a = new core.Aggregate(); a.recordValues('gaps', ms);
  const check = { peerP50Us: h.getValueAtPercentile(50), oursP50Us: a.summary().metrics?.gaps?.p50 * 1000 || a.summary().gaps?.p50 * 1000 };
  a.free();
  return { n, peerJs, peerWasm, oursAll, ours1024, oursPerCall, hotPathChunk: median(hot), sink: sink > 0, check };
}

// ---- Row 2: SSE + OpenAI delta extraction throughput on the same captured stream ----
const WORDS = ['the', ' model', ' streams', ' tokens', ' quickly', ',', ' and', ' users', ' read', ' them', '.', ' über', ' café', ' naïve', ' 日本語', ' привет', ' Ελληνικά', ' data', ' flows', ' here'];
/** A deterministic Chat Completions SSE stream of at least `bytes` bytes; returns {bytes: Uint8Array, chars}. */
export function chatStream(bytes) {
  const r = rng(7);
  const parts = [];
  let size = 0; let chars = 0; let i = 0;
  const push = (obj) => { const s = `data: ${JSON.stringify(obj)}\n\n`; parts.push(s); size += s.length; };
  const base = { id: 'chatcmpl-bench0001', object: 'chat.completion.chunk', created: 1764300000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_bench' };
  push({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
  while (size < bytes) {
    const w = WORDS[Math.floor(r() * WORDS.length)];
    chars += w.length; i++;
    push({ ...base, choices: [{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }] });
  }
  push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
  parts.push('data: [DONE]\n\n');
  const u8 = new TextEncoder().encode(parts.join(''));
  let nonAscii = 0; for (const b of u8) if (b >= 0x80) nonAscii++;
  return { bytes: u8, chars, events: i, nonAsciiShare: nonAscii / u8.length };
}

function peerPipeline(u8, size) {
  let chars = 0;
  const dec = new TextDecoder();
  const parser = createParser({ onEvent(e) {
    if (e.data === '[DONE]') return;
    const c = JSON.parse(e.data).choices?.[0]?.delta?.content;
    if (c) chars += c.length;
  } });
  for (let o = 0; o < u8.length; o += size) parser.feed(dec.decode(u8.subarray(o, o + size), { stream: true }));
  parser.feed(dec.decode());
  return chars;
}
/** Row 2's pipeline on `bindings` (the kit's `core` unless given: bench/ab.mjs passes two builds' bindings). */
export function ourPipeline(u8, size, bindings = core) {
  const m = new bindings.Meter(0, { format: 'openai-chat' });
  let at = 0;
  for (let o = 0; o < u8.length; o += size) m.chunk(at += 0.01, u8.subarray(o, o + size));
  m.end(at + 0.01, 'eof');
  const chars = m.report().contentChars;
  m.free();
  return chars;
}

export async function sse({ mb = 10, sizes = [64, 1024, 16384], reps = 3, build = 'embedded' } = {}) {
  await useBuild(build);
  const s = chatStream(mb * 1e6);
  const rows = [];
  for (const size of sizes) {
    const time = (fn) => { const xs = []; let c = 0; for (let r = 0; r < reps + 1; r++) { const t0 = performance.now(); c = fn(s.bytes, size); const dt = performance.now() - t0; if (r > 0) xs.push(dt); } return { mbps: s.bytes.length / 1e6 / (median(xs) / 1000), chars: c }; };
    const peer = time(peerPipeline);
    const ours = time((u8, n) => ourPipeline(u8, n));
    rows.push({ size, peerMBps: peer.mbps, oursMBps: ours.mbps, peerChars: peer.chars, oursChars: ours.chars, expectedChars: s.chars });
  }
  return { streamBytes: s.bytes.length, events: s.events, nonAsciiShare: s.nonAsciiShare, rows };
}

// ---- Row 4: main-thread cost while a fast stream runs, with and without the kit ----
const loafs = [];
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) loafs.push(e); }).observe({ type: 'long-animation-frame', buffered: true });
} catch { /* not supported: counted as -1 below */ }

let kitSelfMs = 0;
function timeWasmCalls() {
  // Self-timing of the kit's calls into the core (a lower bound of the kit's cost: the read loop and observer JS not included).
  for (const name of ['chunk', 'paint', 'headers', 'end', 'report']) {
    const orig = core.Meter.prototype[name];
    if (orig.__timed) continue;
    const f = function (...a) { const t0 = performance.now(); try { return orig.apply(this, a); } finally { kitSelfMs += performance.now() - t0; } };
    f.__timed = true;
    core.Meter.prototype[name] = f;
  }
}

/**
 * The "app": fetches a chat stream, parses SSE itself and appends each delta to the DOM: into one paragraph, or
 * (paraEvery > 0) into a new `<p>` every `paraEvery` deltas, as a markdown renderer lays an answer out.
 */
async function appStream(fetchFn, url, bubble, paraEvery) {
  let para = document.createElement('p');
  bubble.append(para);
  const res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}' });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = ''; let chars = 0; let deltas = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += value;
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i); buf = buf.slice(i + 2);
      if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
      const c = JSON.parse(ev.slice(6)).choices?.[0]?.delta?.content;
      if (!c) continue;
      if (paraEvery > 0 && ++deltas % paraEvery === 0) { para = document.createElement('p'); bubble.append(para); }
      para.append(c);
      chars += c.length;
    }
  }
  return chars;
}

/**
 * Row 4: one streamed answer rendered by the app, with or without the kit. `rafLoop` adds a bare
 * requestAnimationFrame loop and nothing else (a probe: what asking for every frame costs this page by itself).
 */
export async function mainThread({ api, tokens = 10000, withKit, withObserve = true, paints = 'all', paraEvery = 0, rafLoop = false }) {
  const el = document.createElement('div'); // the chat bubble (observed); the app writes paragraphs inside it
  document.getElementById('chat').replaceChildren(el);
  const url = `${api}/p/steady,seed=3,tokens=${tokens},scale=0.0333/v1/chat/completions`;
  loafs.length = 0;
  kitSelfMs = 0;
  const t0 = performance.now();
  let chars; let report = null;
  let looping = rafLoop;
  const tick = () => { if (looping) requestAnimationFrame(tick); };
  if (looping) requestAnimationFrame(tick);
  if (withKit) {
    timeWasmCalls();
    const session = new Session();
    // The one-line integration: wrapFetch measures the stream and, with `observe`, binds the same response to the
    // element it renders into (network and perceived metrics in one handle, as apps use it).
    const f = wrapFetch(fetch, { session, onReport: (r) => { report = r; }, ...(withObserve ? { observe: el, paints } : {}) });
    chars = await appStream(f, url, el, paraEvery);
  } else {
    chars = await appStream(fetch, url, el, paraEvery);
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
  looping = false;
  const wallMs = performance.now() - t0;
  const mine = (e) => (e.scripts ?? []).some((s) => /\/(kit|pkg)\/|chat-vitals\.js/.test(s.sourceURL ?? ''));
  return { wallMs, chars, kitSelfMs, longFrames: loafs.length, longFramesWithKitScripts: loafs.filter(mine).length, reportChunks: report?.chunkCount ?? null };
}

// ---- Row 5: memory per live measured response ----
const live = [];
let wasmMemory = null;
export function wasmBytes() { return wasmMemory ? wasmMemory.buffer.byteLength : 0; }
/** Builds `count` live meters fed `tokens` tokens each (16 SSE events per chunk). */
export function feedLive({ count, tokens, options = {} }) {
  const enc = new TextEncoder();
  const one = 'data: {"choices":[{"index":0,"delta":{"content":" tok"}}]}\n\n';
  const perChunk = Math.min(16, tokens);
  const chunk = enc.encode(one.repeat(perChunk));
  for (let k = 0; k < count; k++) {
    const m = new core.Meter(0, { format: 'openai-chat', ...options });
    let at = 0;
    for (let t = 0; t < tokens; t += perChunk) m.chunk(at += 1, chunk);
    live.push(m);
  }
  return live.length;
}
export function dropLive() { for (const m of live.splice(0)) m.free(); }

// ---- Row 7: leak check: many measured responses through wrapFetch + observe, released ----
let leakSession = null;
export async function leakRun({ count }) {
  leakSession ??= new Session({ maxReports: 100 });
  // Row 4's collector above keeps every long-frame entry of the page; row 7 measures the kit, not this page's list.
  loafs.length = 0;
  const body = chatStream(2000).bytes;
  const fake = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  const host = document.getElementById('chat');
  for (let i = 0; i < count; i++) {
    const el = document.createElement('p');
    host.replaceChildren(el);
    const handle = begin({ session: leakSession });
    const stop = observe(el, handle);
    const f = wrapFetch(fake, { session: leakSession });
    const res = await f('/fake');
    el.textContent = await res.text();
    stop();
    handle.end();
  }
  host.replaceChildren();
  loafs.length = 0;
  return leakSession.reports.length;
}

// ---- Row 6: n concurrent measured streams (wrapFetch), spread over several sim origins ----
/** The peer for row 6: the app stamps its own reads (performance.now() per read, SSE split + JSON.parse), no kit. */
async function bareStream(url, init) {
  const start = performance.now();
  const res = await fetch(url, init);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  const chunks = []; let buf = '';
  for (;;) {
    const { done, value } = await reader.read();
    const at = performance.now() - start;
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let chars = 0; let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i); buf = buf.slice(i + 2);
      if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
      const c = JSON.parse(ev.slice(6)).choices?.[0]?.delta?.content;
      if (c) chars += [...c].length;
    }
    chunks.push([at, chars]);
  }
  const first = chunks.find((c) => c[1] > 0);
  return { requestStartUnixMs: performance.timeOrigin + start, ttftMs: first ? first[0] : null, chunks };
}

export async function concurrent({ apis, n, ttftMs = 100, gapsMs, bare = false }) {
  const session = new Session({ maxReports: n + 10 });
  const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }], sim: { ttft_ms: ttftMs, gaps_ms: gapsMs, tokens: gapsMs.length + 1 } });
  if (bare) {
    return Promise.all(Array.from({ length: n }, async (_, i) => ({ label: String(i),
      ...(await bareStream(`${apis[i % apis.length]}/p/scripted,seed=${1000 + i}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })) })));
  }
  const one = async (i) => {
    const f = wrapFetch(fetch, { session, label: String(i) });
    const api = apis[i % apis.length];
    const res = await f(`${api}/p/scripted,seed=${1000 + i}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.text();
  };
  await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  // Reports arrive when the kit's branch ends, which may be just after the app's branch.
  const t0 = performance.now();
  while (session.reports.length < n && performance.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 10));
  return session.reports.map((r) => ({ label: r.label, requestStartUnixMs: r.requestStartUnixMs, ttftMs: r.ttftMs,
    chunks: r.timeline.chunks.map((c) => [c.atMs, c.contentChars]) }));
}

export const ready = (async () => {
  await load();
  // The module's memory: wasm-bindgen's init() resolved; its exports hold `memory`.
  const { default: init } = await import('../pkg/chat_vitals.js');
  wasmMemory = (await init()).memory;
  return true;
})();

window.bench = { ready, timerResolutionMs, histogram, chatStream: (b) => { const s = chatStream(b); return { bytes: s.bytes.length, chars: s.chars, nonAsciiShare: s.nonAsciiShare }; }, sse, mainThread, concurrent, feedLive, dropLive, wasmBytes, leakRun };
