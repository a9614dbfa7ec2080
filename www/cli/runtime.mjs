// Runtime for the CLI and the e2e tests: start the project's server (page + simulated endpoint) on 127.0.0.1 and a headless
// Chromium driven by playwright-core. Both stop themselves: the server exits when our stdin pipe closes or after
// --max-seconds, the browser is closed in `after`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = join(process.env.CARGO_TARGET_DIR ?? join(REPO, 'target'), 'release', 'chat-vitals-serve');

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Starts chat-vitals-serve; resolves {page, api, log(id?), clear(), stop()} once it printed its URLs. */
export async function startServer({ profile = 'realistic', maxSeconds = 600, www = join(REPO, 'www'), relay = false } = {}) {
  const args = ['--www', www, '--profile', profile, '--max-seconds', String(maxSeconds), '--exit-on-stdin-eof', ...(relay ? ['--relay'] : [])];
  const child = spawn(SERVER_BIN, args,
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`chat-vitals-serve exited early (${code})`)));
    lines.once('line', resolve);
  });
  const urls = JSON.parse(first);
  const api = urls.api;
  return {
    page: urls.page,
    api,
    async log(id) {
      const r = await fetch(`${api}/__sim/log${id ? `?id=${encodeURIComponent(id)}` : ''}`);
      return r.json();
    },
    /** Requests the endpoint has read and not yet logged. */
    async inFlight() { return (await (await fetch(`${api}/__sim/in-flight`)).json()).inFlight; },
    async clear() { await fetch(`${api}/__sim/log/clear`, { method: 'POST' }); },
    stop() { child.stdin.end(); child.kill('SIGTERM'); },
  };
}

/** Launches headless Chromium (Debian's /usr/bin/chromium) in a fresh profile directory. */
export async function launch({ viewport = { width: 1280, height: 800 } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cv-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, errors,
    async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
