// Runtime for the CLI and the e2e tests: start the project's server (page + simulated endpoint) on 127.0.0.1 and a headless
// browser (browsers.mjs: Chromium through playwright-core, Firefox and WebKit through WebDriver). Both stop themselves:
// the server exits when our stdin pipe closes or after --max-seconds, the browser is closed in `after`.
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { launchBrowser } from './browsers.mjs';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = join(process.env.CARGO_TARGET_DIR ?? join(REPO, 'target'), 'release', 'chat-vitals-serve');

export { CHROMIUM_ARGS, ENGINES, launchBrowser, checkEngine } from './browsers.mjs';

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

/** Launches headless Chromium (Debian's /usr/bin/chromium) in a fresh profile directory; see browsers.mjs. */
export function launch({ viewport = { width: 1280, height: 800 } } = {}) {
  return launchBrowser('chromium', { viewport });
}
