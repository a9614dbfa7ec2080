// docs/INTEGRATION.md is executable: every ```js block runs in the kit test page (imports mapped to the page's
// bundles, URLs pointed at the simulated endpoint or a local WebSocket server) and must produce one complete report.
// The React recipe (its ```jsx block) is bundled with esbuild and the real react, react-dom, @ai-sdk/react, ai and
// react-markdown, mounted in Chromium and driven like a user; its pitfall 1 is checked by counting <p> removals.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { useBrowser, startServer, REPO } from './harness.mjs';
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
    .replace(/^import \{([^}]+)\} from '(?:\.\/chat-vitals\.js|chat-vitals)';$/gm, 'const {$1} = cv;')
    .replace(/^import \{([^}]+)\} from 'chat-vitals\/otlp';$/gm, 'const {$1} = cv.otlp;')
    .replaceAll("'https://otel.example.com/v1/metrics'", "SIM + '/v1/metrics'")
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

const JSX = [...DOC.matchAll(/^```jsx\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const RECIPE_API = '/p/scripted,ttft=60,tokens=12/api/ai-sdk/chat';

/** Bundles the recipe with a mount script into `dir` (app.js + the wasm next to it + index.html). */
async function bundleRecipe(code, dir) {
  const { build } = await import('esbuild');
  writeFileSync(join(dir, 'recipe.jsx'), code.replaceAll("'/api/chat'", `'${RECIPE_API}'`));
  writeFileSync(join(dir, 'main.jsx'), `
import { createRoot } from 'react-dom/client';
import { session, diagnostics } from 'chat-vitals';
import { Chat } from './recipe.jsx';
const state = window.cvRecipe = { session, diagnostics, removedP: 0 };
new MutationObserver((records) => {
  for (const r of records) for (const n of r.removedNodes) if (n.nodeName === 'P') state.removedP++;
}).observe(document.getElementById('root'), { childList: true, subtree: true });
createRoot(document.getElementById('root')).render(<Chat />);
`);
  await build({ entryPoints: [join(dir, 'main.jsx')], bundle: true, format: 'esm', jsx: 'automatic', target: 'chrome120',
    outfile: join(dir, 'app.js'), alias: { 'chat-vitals': join(REPO, 'www', 'kit', 'index.js') },
    nodePaths: [join(REPO, 'node_modules')], define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error' });
  cpSync(join(REPO, 'www', 'pkg', 'chat_vitals_bg.wasm'), join(dir, 'chat_vitals_bg.wasm'));
  writeFileSync(join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><div id="root"></div><script type="module" src="./app.js"></script>');
}

/** Mounts the bundled recipe, sends `turns` messages like a user; returns reports, diagnostics, <p> removals, bubbles. */
async function runRecipe(code, turns) {
  const dir = mkdtempSync(join(tmpdir(), 'cv-react-recipe-'));
  const recipeServer = await startServer({ www: dir, profile: 'scripted' });
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await bundleRecipe(code, dir);
    await page.goto(recipeServer.page);
    for (let n = 1; n <= turns; n++) {
      await page.fill('input[name=q]', `question ${n}`);
      await page.click('button');
      await page.waitForFunction((k) => window.cvRecipe.session.reports.length === k, n, { timeout: 15_000 });
    }
    const out = await page.evaluate(() => ({
      reports: window.cvRecipe.session.reports, diagnostics: window.cvRecipe.diagnostics, removedP: window.cvRecipe.removedP,
      bubbles: [...document.querySelectorAll('#messages > .assistant')].map((b) => b.textContent),
    }));
    return { ...out, errors, log: await recipeServer.log() };
  } finally {
    await page.close();
    recipeServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const words = (t) => t.replace(/\s+/g, ' ').trim();

test('React recipe: useChat + DefaultChatTransport({ fetch: wrapFetch }) + markdown, observed on the assistant bubble', async () => {
  assert.equal(JSX.length, 1, 'docs/INTEGRATION.md has the React recipe as one jsx block');
  const r = await runRecipe(JSX[0], 2);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.reports.length, 2);
  for (const [i, rep] of r.reports.entries()) {
    assert.equal(rep.outcome, 'complete', `turn ${i + 1}`);
    assert.equal(rep.format, 'ai-sdk-ui');
    // The bubble was observed while the answer streamed (paint accuracy itself is perceived.test.mjs's).
    assert.ok(rep.perceivedTtftMs !== null && rep.perceivedTtftMs < rep.e2eLastContentMs,
      `turn ${i + 1}: perceived TTFT ${rep.perceivedTtftMs} ms, before the last content at ${rep.e2eLastContentMs} ms`);
    // ≥ 1, not more: on a loaded machine React may render a short answer's reads in one or two commits.
    assert.ok(rep.paintCount >= 1, `turn ${i + 1}: ${rep.paintCount} paints timed`);
    assert.equal(words(r.bubbles[i]), words(r.log[i].text), `turn ${i + 1}: the bubble shows what the endpoint sent`);
  }
  assert.equal(r.removedP, 0, 'with components defined once, no <p> is removed while answers stream');
});

test('React recipe pitfall 1: components created during render remount the <p> on every token', async () => {
  const inline = JSX[0].replace('components={components}', 'components={{ p: (props) => <p className="md" {...props} /> }}');
  assert.notEqual(inline, JSX[0]);
  const r = await runRecipe(inline, 1);
  assert.equal(r.reports[0].outcome, 'complete');
  const chunks = r.reports[0].outputChunkCount;
  assert.ok(r.removedP >= chunks / 2, `${r.removedP} <p> removed for ${chunks} content chunks: remounted on (nearly) every token`);
});

test('React recipe pitfall 2: a typing indicator inside the list after the bubble defeats :last-child', async () => {
  const inside = JSX[0]
    .replace("      {status === 'submitted' && <div className=\"typing-indicator\">…</div>}\n", '')
    .replace("        ))}\n      </div>", "        ))}\n        {status !== 'ready' && <div className=\"typing-indicator\">…</div>}\n      </div>");
  assert.notEqual(inside, JSX[0]);
  const r = await runRecipe(inside, 1);
  assert.equal(r.reports[0].outcome, 'complete', 'the network side is still measured');
  const rep = r.reports[0];
  // The bubble becomes the last child only when the indicator goes at the end: its one observed paint is the end.
  assert.ok(rep.perceivedTtftMs === null || rep.perceivedTtftMs >= rep.e2eLastContentMs,
    `perceived TTFT ${rep.perceivedTtftMs} ms reads the end of the answer (last content ${rep.e2eLastContentMs} ms, TTFT ${rep.ttftMs} ms)`);
  assert.ok(rep.paintCount <= 1, `${rep.paintCount} paint(s) seen: none while the answer streamed`);
});
