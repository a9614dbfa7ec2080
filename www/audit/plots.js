// Small hand-drawn SVG plots. Hand-drawn on purpose: two plot types (a log-axis percentile spectrum and a bar
// histogram) are ~150 lines, while a charting library would add 50–200 KB to a page whose job is to measure
// page cost, and none draws the HdrHistogram "1/(1−p)" axis without custom code anyway.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function fmtMs(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (v >= 10000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

/**
 * Percentile spectrum: x = percentile on a log "1/(1−p)" axis (0, 90, 99, 99.9, 99.99 evenly spaced),
 * y = latency (ms, linear from 0).
 * @param {{name: string, color: string, points: {percentile: number, valueMs: number}[]}[]} series
 */
export function spectrum(series, { width = 560, height = 260 } = {}) {
  const m = { l: 56, r: 28, t: 10, b: 34 };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  const maxX = 4; // log10(1/(1-0.9999))
  const xOf = (p) => Math.min(maxX, Math.log10(1 / Math.max(1e-4, 1 - p / 100)));
  const all = series.flatMap((s) => s.points.map((p) => p.valueMs)).filter(Number.isFinite);
  const maxY = niceMax(Math.max(1, ...all));
  const X = (x) => m.l + (x / maxX) * (width - m.l - m.r);
  const Y = (y) => height - m.b - (y / maxY) * (height - m.t - m.b);
  for (const [i, label] of ['0%', '90%', '99%', '99.9%', '99.99%'].entries()) {
    svg.append(el('line', { x1: X(i), x2: X(i), y1: m.t, y2: height - m.b, stroke: '#eaecf0' }));
    svg.append(el('text', { x: X(i), y: height - m.b + 14, 'text-anchor': 'middle' }, label));
  }
  for (let k = 0; k <= 4; k++) {
    const v = (maxY * k) / 4;
    svg.append(el('line', { x1: m.l, x2: width - m.r, y1: Y(v), y2: Y(v), stroke: '#f2f4f7' }));
    svg.append(el('text', { x: m.l - 6, y: Y(v) + 4, 'text-anchor': 'end' }, fmtMs(v)));
  }
  svg.append(el('text', { x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, 'percentile'));
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => Number.isFinite(p.valueMs));
    if (!pts.length) return;
    const d = pts.map((p, j) => `${j ? 'L' : 'M'}${X(xOf(p.percentile)).toFixed(1)},${Y(p.valueMs).toFixed(1)}`).join('');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2 }));
    svg.append(el('rect', { x: m.l + 8, y: m.t + 4 + i * 16, width: 10, height: 3, fill: s.color }));
    svg.append(el('text', { x: m.l + 22, y: m.t + 9 + i * 16 }, s.name));
  });
  return svg;
}

/** Bar histogram of {fromMs, toMs, count} bins (log-spaced bins are labelled by their lower edge). */
export function bars(bins, { width = 560, height = 260, color = '#3b5bdb' } = {}) {
  const m = { l: 44, r: 12, t: 10, b: 34 };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  if (!bins.length) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no data'));
    return svg;
  }
  const maxC = Math.max(...bins.map((b) => b.count));
  const bw = (width - m.l - m.r) / bins.length;
  const Y = (c) => height - m.b - (c / maxC) * (height - m.t - m.b);
  bins.forEach((b, i) => {
    const x = m.l + i * bw;
    svg.append(el('rect', { x: x + 1, y: Y(b.count), width: Math.max(1, bw - 2), height: height - m.b - Y(b.count), fill: color },));
    const every = Math.ceil(bins.length / 8);
    if (i % every === 0) svg.append(el('text', { x: x + bw / 2, y: height - m.b + 14, 'text-anchor': 'middle' }, fmtMs(b.fromMs)));
  });
  for (let k = 0; k <= 2; k++) {
    const c = Math.round((maxC * k) / 2);
    svg.append(el('text', { x: m.l - 6, y: Y(c) + 4, 'text-anchor': 'end' }, String(c)));
  }
  svg.append(el('text', { x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, 'gap (log bins)'));
  return svg;
}

function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 2, 2.5, 5, 10]) if (v <= k * p) return k * p;
  return 10 * p;
}

/**
 * Live timeline of one response on a canvas: chunk ticks (top), paint ticks (bottom), stalls shaded.
 * @param {HTMLCanvasElement} canvas
 * @param {{chunkOffsetsMs: number[], paintOffsetsMs: number[], stallThresholdMs: number}} t
 */
export function drawTimeline(canvas, t) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const end = Math.max(1000, ...t.chunkOffsetsMs, ...t.paintOffsetsMs) * 1.05;
  const X = (ms) => 30 + (ms / end) * (w - 40);
  ctx.fillStyle = '#ffe3e3';
  for (let i = 1; i < t.chunkOffsetsMs.length; i++) {
    const a = t.chunkOffsetsMs[i - 1];
    const b = t.chunkOffsetsMs[i];
    if (b - a >= t.stallThresholdMs) ctx.fillRect(X(a), 8, X(b) - X(a), h - 30);
  }
  ctx.fillStyle = '#3b5bdb';
  for (const ms of t.chunkOffsetsMs) ctx.fillRect(X(ms), 12, 1.5, 40);
  ctx.fillStyle = '#12b886';
  for (const ms of t.paintOffsetsMs) ctx.fillRect(X(ms), 58, 1.5, 32);
  ctx.fillStyle = '#475467';
  ctx.font = '11px system-ui';
  ctx.fillText('0', 26, h - 6);
  ctx.fillText(fmtMs(end), w - 60, h - 6);
  ctx.fillText('net', 2, 36);
  ctx.fillText('paint', 0, 78);
}
