// A/B of two wasm builds on row 2's pipeline, alternating in one Chromium page (less noise than two bench runs).
//   node bench/ab.mjs www/pkg /tmp/other-pkg [reps]
// Each directory holds a wasm-bindgen `--target web` build (chat_vitals.js + chat_vitals_bg.wasm). Prints the median
// MB/s of each and their ratio per chunk size.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join, extname, resolve } from 'node:path';
import { launchBrowser } from '../www/cli/browsers.mjs';

const [dirA, dirB, reps = '7'] = process.argv.slice(2);
if (!dirA || !dirB) { console.error('usage: node bench/ab.mjs DIR_A DIR_B [reps]'); process.exit(2); }
const www = new URL('../www/', import.meta.url).pathname;
const mounts = { '/a/': resolve(dirA), '/b/': resolve(dirB) };
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm' };
const page = '<!doctype html><script type=module>import { ab } from "/bench/ab.js"; window.ab = ab;</script>';
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  if (url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
  const mount = Object.keys(mounts).find((m) => url.startsWith(m));
  const path = mount ? join(mounts[mount], url.slice(mount.length)) : join(www, url);
  try {
    const body = readFileSync(path);
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await launchBrowser('chromium');
try {
  await browser.goto(`http://127.0.0.1:${server.address().port}/`);
  await browser.waitFor(() => window.ab);
  const rows = await browser.evaluate((n) => window.ab('/a/chat_vitals.js', '/b/chat_vitals.js', { reps: n }), Number(reps));
  console.log(`A ${dirA} vs B ${dirB}, median of ${reps} alternating runs, MB/s`);
  for (const r of rows) console.log(`${String(r.size).padStart(6)} B chunks: A ${r.a.toFixed(1)} | B ${r.b.toFixed(1)} | A/B ${r.ratio.toFixed(2)}`);
} finally { await browser.close(); server.close(); }
