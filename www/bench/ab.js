// Row 2's pipeline (Meter.chunk over the same 10 MB OpenAI stream) on two builds of the bindings in one page,
// alternating run by run so both see the same machine state: bench/ab.mjs drives it.
import { chatStream, ourPipeline } from './bench.js';

function mbps(bindings, s, size) {
  const t0 = performance.now();
  const chars = ourPipeline(s.bytes, size, bindings);
  const dt = performance.now() - t0;
  if (chars !== s.chars) throw new Error(`content chars ${chars}, expected ${s.chars}`);
  return s.bytes.length / 1e6 / (dt / 1000);
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/** `a`, `b`: URLs of two wasm-bindgen `--target web` glue modules. Median MB/s per chunk size and the ratio a/b. */
export async function ab(a, b, { reps = 7, sizes = [64, 1024, 16384] } = {}) {
  const builds = [];
  for (const url of [a, b]) { const m = await import(url); await m.default(); builds.push(m); }
  const s = chatStream(10e6);
  const out = [];
  for (const size of sizes) {
    const xs = [[], []];
    for (let r = 0; r < reps; r++) builds.forEach((core, i) => xs[i].push(mbps(core, s, size)));
    out.push({ size, a: median(xs[0]), b: median(xs[1]), ratio: median(xs[0]) / median(xs[1]) });
  }
  return out;
}
