// The full build's HdrHistogram texts around the core's V2 bytes (src/aggregate/export.rs): `HISTF…` (V2 + DEFLATE,
// base64, as every HdrHistogram implementation reads and writes it) and `.hlog` interval logs. DEFLATE is the
// platform's CompressionStream / DecompressionStream ("deflate" is the zlib format, RFC 1950, which HdrHistogram's
// compressed V2 uses), so no inflater or deflater ships in the wasm (BENCHMARKS.md row 3). Numbers in the .hlog are
// formatted here, not in the wasm.
const COMPRESSED_COOKIE = 0x1c849314;
/** Largest `HISTF…` text accepted (4 MiB; a full 1 h, 3-digit histogram is far smaller). */
const MAX_TEXT_CHARS = 4 << 20;
/** Largest inflated histogram accepted (8 MiB), checked while inflating. */
const MAX_INFLATED_BYTES = 8 << 20;

/** A (De)CompressionStream for zlib, or a TypeError naming what the runtime lacks (WebKit before 16.4, e.g. WPE 2.38). */
function zlibStream(Stream) {
  if (typeof Stream !== 'function') {
    // Engines by engine name: reports never call WebKit "Safari" (tests/e2e/engines.test.mjs).
    throw new TypeError('HISTF export and import need CompressionStream and DecompressionStream (Chromium 80, Firefox 113, WebKit 16.4, Node 18 and later); this runtime has neither');
  }
  return new Stream('deflate');
}

/** `bytes` through a (De)CompressionStream; null once the output passes `cap` bytes (the stream is cancelled). */
async function through(bytes, transform, cap) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const parts = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > cap) { await reader.cancel(); return null; }
    parts.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function notAHistogram(why) {
  return new RangeError(`not a V2 HdrHistogram (${why}); export it with a V2 or V2+DEFLATE serializer`);
}

/** V2 bytes → `HISTF…`: the compressed cookie, the zlib stream's length, the zlib stream; base64. */
export async function histf(v2) {
  const zlib = await through(v2, zlibStream(globalThis.CompressionStream), Infinity);
  const out = new Uint8Array(8 + zlib.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, COMPRESSED_COOKIE);
  view.setUint32(4, zlib.length);
  out.set(zlib, 8);
  return toBase64(out);
}

/** `{ name: V2 bytes }` → `{ name: "HISTF…" }`. */
export async function histfAll(v2s) {
  const names = Object.keys(v2s);
  const texts = await Promise.all(names.map((n) => histf(v2s[n])));
  return Object.fromEntries(names.map((n, i) => [n, texts[i]]));
}

/** `HISTF…` (or base64 of an uncompressed V2 histogram) → uncompressed V2 bytes, for the core to read. */
async function unhistf(text) {
  if (typeof text !== 'string') throw new TypeError('a histogram must be a HISTF... string');
  if (text.length > MAX_TEXT_CHARS) {
    throw new RangeError(`histogram text is ${text.length} bytes, above the 4 MiB limit; import one metric at a time`);
  }
  let binary;
  try { binary = atob(text); } catch {
    throw new RangeError('histogram text is not standard base64; pass the HISTF... string unmodified');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  if (bytes.length < 8 || view.getUint32(0) !== COMPRESSED_COOKIE) return bytes; // the core checks every other kind
  const zlibLength = view.getUint32(4);
  if (zlibLength > bytes.length - 8) throw notAHistogram('compressed length exceeds the data');
  const inflate = zlibStream(globalThis.DecompressionStream);
  let v2;
  try { v2 = await through(bytes.subarray(8, 8 + zlibLength), inflate, MAX_INFLATED_BYTES); } catch {
    throw notAHistogram('payload is not a zlib stream');
  }
  if (!v2) throw notAHistogram('inflated histogram is larger than 8 MiB');
  return v2;
}

/**
 * Decodes `text`, then calls `apply(v2Bytes)` (the core's import), or `apply(undefined, error)` when decoding failed,
 * so the Rust closure behind `apply` always runs once and is freed. Resolves or rejects with what `apply` did.
 */
export function unhistfThen(text, apply) {
  return unhistf(text).then((v2) => apply(v2, undefined), (e) => apply(undefined, e));
}

function checkTime(s) {
  if (!(typeof s === 'number' && s >= 0 && s <= Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`time ${s} s is negative, NaN or too large; pass seconds since the epoch and a positive interval`);
  }
  return s;
}

/**
 * An HdrHistogram interval log (format 1.3, as HdrHistogram's HistogramLogWriter writes it) with one interval per
 * entry `[tag, maxStored, v2]`, tagged with the metric name; the max column is maxStored / 1000 (ms for times).
 */
export async function hlogText(entries, startEpochS, intervalS) {
  const start = checkTime(startEpochS);
  const length = checkTime(intervalS);
  const lines = [
    '#[Histogram log format version 1.3]',
    '#[chat-vitals: one interval per metric, Tag=<metric>; values stored x scale (us for times)]',
    '#"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    `#[StartTime: ${start.toFixed(3)} (seconds since epoch)]`,
    '#[MaxValueDivisor: 1000.000]',
  ];
  const texts = await Promise.all(entries.map(([, , v2]) => histf(v2)));
  entries.forEach(([tag, max], i) => lines.push(`Tag=${tag},0.000,${length.toFixed(3)},${(max / 1000).toFixed(3)},${texts[i]}`));
  return `${lines.join('\n')}\n`;
}
