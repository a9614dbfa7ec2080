// docs/INTEGRATION.md is executable: every ```js block runs in the kit test page (imports mapped to the page's
// bundles, URLs pointed at the simulated endpoint or a local WebSocket server) and must produce one complete report.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { useBrowser, REPO } from './harness.mjs';
import { openKitPage } from './kit-helpers.mjs';

const DOC = readFileSync(join(REPO, 'docs', 'INTEGRATION.md'), 'utf8');
const BLOCKS = [...DOC.matchAll(/^## (.+)$|^```js\n([\s\S]*?)^```$/gm)].reduce((acc, m) => {
  if (m[1]) acc.heading = m[1];
  else acc.blocks.push({ heading: acc.heading, code: m[2] });
  return acc;
}, { heading: '', blocks: [] }).blocks;

/** Maps a doc snippet onto the test page: imports → window.cv, real endpoints → the simulator. */
function adapt(code) {
  const out = code
    .replace(/^import (\w+) from '(openai|@anthropic-ai\/sdk)';$/gm, 'const $1 = cv.$1;')
    .replace(/^import \{([^}]+)\} from 'ai';$/gm, 'const {$1} = cv.ai;')
    .replace(/^import \{([^}]+)\} from '\.\/chat-vitals\.js';$/gm, 'const {$1} = cv;')
    .replaceAll("'https://api.openai.com/v1/chat/completions'", "SIM + '/v1/chat/completions'")
    .replaceAll('new OpenAI({', "new OpenAI({ baseURL: SIM + '/v1',")
    .replaceAll('new Anthropic({', 'new Anthropic({ baseURL: SIM,')
    .replaceAll("api: '/api/chat'", "api: SIM + '/api/ai-sdk/chat'")
    .replaceAll("'wss://chat.example.com/ws'", 'WS');
  assert.doesNotMatch(out, /^import /m, 'every import was mapped');
  return out;
}

let server;
let browser;
let wss;
useBrowser({ profile: 'scripted' }, async (env) => {
  ({ server, browser } = env);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((ok) => wss.once('listening', ok));
  wss.on('connection', (sock) => sock.on('message', () => {
    const words = ['Hello', ' over', ' WebSocket'];
    words.forEach((text, i) => setTimeout(() => sock.send(JSON.stringify({ type: 'delta', text })), 60 + 30 * i));
    setTimeout(() => sock.send(JSON.stringify({ type: 'done' })), 60 + 30 * words.length);
  }));
});
after(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise((ok) => (wss ? wss.close(ok) : ok()));
});

test('docs/INTEGRATION.md has a snippet for fetch, the OpenAI SDK, the Anthropic SDK, the AI SDK and WebSocket', () => {
  const headings = BLOCKS.map((b) => b.heading).join(' | ');
  for (const want of ['fetch', 'OpenAI SDK', 'Anthropic SDK', 'AI SDK', 'manual path']) {
    assert.ok(BLOCKS.some((b) => b.heading.includes(want)), `a snippet under a heading with "${want}" (${headings})`);
  }
});

for (const block of BLOCKS) {
  test(`docs snippet "${block.heading}" runs and is measured`, async () => {
    const page = await openKitPage(browser, server);
    const sim = `${server.api}/p/scripted,ttft=60,tokens=6`;
    const ws = `ws://127.0.0.1:${wss.address().port}`;
    const result = await page.evaluate(async ({ code, sim, ws }) => {
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
      const logged = [];
      const console = { log: (...a) => logged.push(a) };
      const before = cv.session.reports.length;
      await new AsyncFunction('SIM', 'WS', 'console', code)(sim, ws, console);
      return { before, logged: logged.length };
    }, { code: adapt(block.code), sim, ws });
    await page.waitForFunction((n) => cv.session.reports.length > n, result.before, { timeout: 5000 });
    const { reports, diagnostics } = await page.evaluate(() => ({ reports: cv.session.reports, diagnostics: cv.diagnostics }));
    const measured = reports.slice(result.before);
    assert.equal(measured.length, 1, 'one measured response');
    const [r] = measured;
    assert.equal(r.outcome, 'complete');
    assert.ok(r.ttftMs >= 60, `TTFT ${r.ttftMs} ms covers the endpoint's 60 ms`);
    // Not ≥ 3: on a busy machine the endpoint's 6 writes can arrive in fewer reads.
    assert.ok(r.outputChunkCount >= 1 && r.contentChars > 0, `${r.outputChunkCount} output chunks, ${r.contentChars} chars`);
    assert.deepEqual(diagnostics, []);
    assert.ok(result.logged > 0, 'the snippet produced output');
  });
}
