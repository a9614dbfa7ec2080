// Issue 10: the npm package as its users get it. `bash scripts/pack.sh --no-build` packs the built tree; the tarball is
// installed (npm, offline: it has no dependencies) into a fresh temp project holding tests/consumers/. The bundlers
// and tools are this repo's pinned devDependencies (package-lock.json, installed once by npm ci), run on that
// project, so resolution of `chat-vitals` goes through the installed package's `exports` map as in any app. Each
// consumer is opened in Chromium and must measure a stream from the simulated endpoint to outcome `complete`; the
// bad-input cases must leave the app's fetch unmeasured and unchanged with a diagnostic naming the URL and cause.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, REPO } from './harness.mjs';

const TOOLS = join(REPO, 'node_modules');
let tarball;
let app; // the temp consumer project
let server; // serves `app` (page port) and the simulated endpoint
let exampleServer; // serves the repo's www/ (the unmodified example chat app) for the @playwright/test project
let browser;

before(async () => {
  const packed = execFileSync('bash', [join(REPO, 'scripts', 'pack.sh'), '--no-build'], { cwd: REPO, encoding: 'utf8' });
  tarball = packed.trim().split('\n').at(-1);
  app = mkdtempSync(join(tmpdir(), 'cv-consumer-'));
  cpSync(join(REPO, 'tests', 'consumers'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', tarball],
    { cwd: app, stdio: 'pipe' });
  // The @playwright/test project's own dependency (resolved to the repo's copy, so it matches playwright-core).
  mkdirSync(join(app, 'node_modules', '@playwright'), { recursive: true });
  symlinkSync(join(TOOLS, '@playwright', 'test'), join(app, 'node_modules', '@playwright', 'test'), 'dir');
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(TOOLS, '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir'); // Playwright's types need it
  server = await startServer({ www: app, profile: 'steady' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
  exampleServer?.stop();
  if (app) rmSync(app, { recursive: true, force: true });
});

const api = () => `${server.api}/p/steady,tokens=8`;

/** Opens a consumer page and waits for its window.consumerResult. */
async function run(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.consumerResult, null, { timeout: 20_000 });
    return { ...(await page.evaluate(() => window.consumerResult)), errors };
  } finally {
    await page.close();
  }
}

/** Content text of an OpenAI Chat Completions SSE body. */
function sseContent(body) {
  return body.split('\n').filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '').join('');
}

/** The full build (loadFull(), fetched on demand) measured and exported a HISTF histogram. */
async function assertMeasuredFull(result, what) {
  await assertMeasured(result, `${what} (full build)`);
  assert.match(result.histogram ?? '', /^HISTF/, `${what}: loadFull() gave the full build (exportHistogram)`);
}

async function assertMeasured(result, what) {
  assert.deepEqual(result.errors, [], `${what}: no page errors`);
  assert.equal(result.loaded, true, `${what}: load() resolved true (${JSON.stringify(result.diagnostics)})`);
  assert.deepEqual(result.diagnostics, [], `${what}: no diagnostics`);
  assert.equal(result.reports.length, 1, `${what}: one report`);
  const [r] = result.reports;
  assert.equal(r.outcome, 'complete', `${what}: outcome`);
  assert.equal(r.format, 'openai-chat');
  assert.equal(r.label, 'consumer');
  assert.ok(r.ttftMs > 0 && r.contentChars > 0, `${what}: TTFT ${r.ttftMs} ms, ${r.contentChars} chars`);
  const [log] = (await server.log()).slice(-1);
  assert.equal(sseContent(result.body), log.text, `${what}: the app read exactly what the endpoint sent`);
}

/** Load failed, the diagnostic says where and why, and the app's fetch was passed through unmeasured. */
async function assertPassedThrough(result, what, { url, cause }) {
  assert.deepEqual(result.errors, [], `${what}: no page errors (the kit never throws into the app)`);
  assert.equal(result.loaded, false, `${what}: load() resolved false`);
  assert.equal(result.reports.length, 0, `${what}: nothing measured`);
  const load = result.diagnostics.find((d) => d.where === 'load');
  assert.ok(load, `${what}: a load diagnostic (${JSON.stringify(result.diagnostics)})`);
  assert.match(load.message, url, `${what}: the diagnostic names the URL`);
  assert.match(load.message, cause, `${what}: the diagnostic names the cause`);
  assert.equal(result.error, null, `${what}: the app's fetch succeeded`);
  const [log] = (await server.log()).slice(-1);
  assert.equal(sseContent(result.body), log.text, `${what}: the app read exactly what the endpoint sent`);
  assert.match(result.body, /data: \[DONE\]/);
}

test('scripts/pack.sh: the last line is the tarball; it holds the kit, glue, wasm, types, README and licences', () => {
  assert.match(tarball, /chat-vitals-\d+\.\d+\.\d+\.tgz$/);
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'THIRD-PARTY-LICENSES.md', 'kit/index.js',
    'kit/index.d.ts', 'kit/playwright.js', 'kit/playwright.d.ts', 'kit/inject.d.ts', 'pkg/chat_vitals.js',
    'pkg/chat_vitals.d.ts', 'pkg/chat_vitals_bg.wasm', 'dist/chat-vitals-inject.js', 'docs/INTEGRATION.md',
    'docs/METRICS.md', 'docs/report.schema.json']) {
    assert.ok(files.includes(`package/${f}`), `the tarball holds ${f}`);
  }
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'chat-vitals', 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'chat-vitals');
  for (const k of ['.', './playwright', './core', './inject', './chat_vitals_bg.wasm']) assert.ok(manifest.exports[k], `exports ${k}`);
  assert.deepEqual(manifest.sideEffects, ['./dist/chat-vitals-inject.js']);
  // Every file the exports map names is in the package.
  for (const v of Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))) {
    assert.ok(existsSync(join(app, 'node_modules', 'chat-vitals', v)), `${v} exists`);
  }
  // The bindings build does not claim the name any more.
  assert.ok(!existsSync(join(REPO, 'www', 'pkg', 'package.json')) || !/"name":\s*"chat-vitals"/.test(readFileSync(join(REPO, 'www', 'pkg', 'package.json'), 'utf8')),
    'www/pkg has no package named chat-vitals');
});

test('types: a strict TypeScript consumer type-checks; wrong options and unknown report fields are errors', () => {
  const r = spawnSync(process.execPath, [join(TOOLS, 'typescript', 'bin', 'tsc'), '-p', join(app, 'types', 'tsconfig.json')],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc:\n${r.stdout}${r.stderr}`);
  // The @ts-expect-error lines are load-bearing: without them the same file fails.
  const src = readFileSync(join(app, 'types', 'consumer.ts'), 'utf8');
  writeFileSync(join(app, 'types', 'consumer.ts'), src.replace(/^\s*\/\/ @ts-expect-error.*$/gm, ''));
  const bad = spawnSync(process.execPath, [join(TOOLS, 'typescript', 'bin', 'tsc'), '-p', join(app, 'types', 'tsconfig.json')],
    { encoding: 'utf8' });
  writeFileSync(join(app, 'types', 'consumer.ts'), src);
  const expected = (src.match(/@ts-expect-error/g) ?? []).length;
  const errors = (bad.stdout.match(/consumer\.ts\(\d+,\d+\): error/g) ?? []).length;
  assert.equal(errors, expected, `each @ts-expect-error line is an error without it:\n${bad.stdout}`);
  // The @playwright/test fixture against Playwright's own types (base.extend<ChatVitalsFixtures>(…), test.use).
  const pw = spawnSync(process.execPath, [join(TOOLS, 'typescript', 'bin', 'tsc'), '-p', join(app, 'types', 'tsconfig.playwright.json')],
    { encoding: 'utf8' });
  assert.equal(pw.status, 0, `tsc (fixture):\n${pw.stdout}${pw.stderr}`);
});

test('plain <script type="module"> page with an import map (no bundler)', async () => {
  await assertMeasured(await run(`${server.page}importmap/index.html?api=${encodeURIComponent(api())}`), 'import map');
  await assertMeasuredFull(await run(`${server.page}importmap/index.html?api=${encodeURIComponent(api())}&full=1`), 'import map');
});

test("README's 10-line example runs against the installed package: the report and the perceived-TTFT callback", async () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = readme.split('## In your page (10 lines)')[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
  assert.ok(block, 'README has the "In your page (10 lines)" js block');
  assert.ok(block.trim().split('\n').length <= 10, 'it is at most 10 lines');
  assert.match(block, /from 'chat-vitals';/, "it imports from 'chat-vitals'");
  writeFileSync(join(app, 'readme', 'example.js'), block);
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const logged = (re) => page.waitForEvent('console', { predicate: (m) => re.test(m.text()), timeout: 20_000 }).then((m) => m.text());
  try {
    const report = logged(/^complete /); // session.onReport: outcome, TTFT, perceived TTFT, gap p99, stalls
    const perceived = logged(/^\d+(\.\d+)? (good|needs-improvement|poor) /); // onPerceivedTTFT: value, rating, …
    await page.goto(`${server.page}readme/index.html?api=${encodeURIComponent(api())}`);
    const [reportLine, perceivedLine] = await Promise.all([report, perceived]);
    const [, ttft, perceivedTtft] = reportLine.split(' ').map(Number);
    assert.ok(ttft > 0 && perceivedTtft >= ttft, `TTFT ${ttft} ms, perceived ${perceivedTtft} ms (${reportLine})`);
    assert.equal(Number(perceivedLine.split(' ')[0]), perceivedTtft, 'the callback saw the same perceived TTFT');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('bad input: load(url) of a wasm URL that 404s resolves false and names the URL and the status', async () => {
  const result = await run(`${server.page}importmap/index.html?api=${encodeURIComponent(api())}&wasm=/missing/chat_vitals_bg.wasm`);
  await assertPassedThrough(result, '404', { url: /\/missing\/chat_vitals_bg\.wasm/, cause: /404/ });
});

test('load(url) overrides the default: the wasm from another place (a CDN), also as a retry after a failed load', async () => {
  mkdirSync(join(app, 'cdn'), { recursive: true });
  cpSync(join(app, 'node_modules', 'chat-vitals', 'pkg', 'chat_vitals_bg.wasm'), join(app, 'cdn', 'chat_vitals_bg.wasm'));
  const base = `${server.page}importmap/index.html?api=${encodeURIComponent(api())}`;
  await assertMeasured(await run(`${base}&wasm=/cdn/chat_vitals_bg.wasm`), 'load(url)');
  const retried = await run(`${base}&wasm=/missing.wasm&fallback=/cdn/chat_vitals_bg.wasm`);
  assert.equal(retried.loaded, true, 'the retry with the fallback URL loaded');
  assert.match(retried.diagnostics[0]?.message ?? '', /missing\.wasm.*404/, 'the failed first attempt is still in diagnostics');
  assert.equal(retried.reports.length, 1);
  assert.equal(retried.reports[0].outcome, 'complete');
});

/** esbuild: bundles the app; `copyWasm` = copy the wasm next to the bundle (esbuild emits no asset for new URL()). */
async function esbuildApp(outDir, copyWasm) {
  const { build } = await import('esbuild');
  const dir = join(app, 'esbuild');
  await build({ entryPoints: [join(dir, 'main.js')], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120',
    minify: true, outfile: join(dir, outDir, 'main.js'), logLevel: 'error' });
  for (const f of ['index.html', 'csp.html']) cpSync(join(dir, f), join(dir, outDir, f));
  if (copyWasm) {
    const wasm = createRequire(join(dir, 'main.js')).resolve('chat-vitals/chat_vitals_bg.wasm');
    cpSync(wasm, join(dir, outDir, 'chat_vitals_bg.wasm'));
  }
}

test('esbuild: bundle + the wasm copied next to it (from the exports map)', async () => {
  await esbuildApp('dist', true);
  await assertMeasured(await run(`${server.page}esbuild/dist/index.html?api=${encodeURIComponent(api())}`), 'esbuild');
});

test('bad input: a bundle whose wasm was not emitted: load() false, the diagnostic names the URL and the 404', async () => {
  await esbuildApp('dist-nowasm', false);
  const result = await run(`${server.page}esbuild/dist-nowasm/index.html?api=${encodeURIComponent(api())}`);
  await assertPassedThrough(result, 'no wasm', { url: /esbuild\/dist-nowasm\/chat_vitals_bg\.wasm/, cause: /404.*emit it as an asset/ });
});

test('bad input: a Content-Security-Policy without wasm-unsafe-eval: load() false, the diagnostic says so', async () => {
  await esbuildApp('dist-csp', true);
  const result = await run(`${server.page}esbuild/dist-csp/csp.html?api=${encodeURIComponent(api())}`);
  await assertPassedThrough(result, 'CSP', { url: /esbuild\/dist-csp\/chat_vitals_bg\.wasm/, cause: /wasm-unsafe-eval/ });
});

test('sideEffects: unused parts of the kit tree-shake away', async () => {
  const { build } = await import('esbuild');
  const bundle = async (code) => (await build({ stdin: { contents: code, resolveDir: app, loader: 'js' }, bundle: true,
    format: 'esm', minify: true, write: false, logLevel: 'error' })).outputFiles[0].text;
  const bare = await bundle("import 'chat-vitals';");
  assert.ok(bare.length < 200, `importing the package for nothing keeps nothing (${bare.length} B)`);
  const fetchOnly = await bundle("import { wrapFetch } from 'chat-vitals'; globalThis.f = wrapFetch(fetch);");
  assert.doesNotMatch(fetchOnly, /PerceivedTTFT|Smoothness/, 'wrapFetch alone does not pull in the web-vitals-style callbacks');
  assert.match(fetchOnly, /Meter/, 'but keeps what it uses');
  const inject = await bundle("import 'chat-vitals/inject';");
  assert.match(inject, /chatVitals/, 'the injectable script is kept: it is a side effect');
});

test("size: the kit's own JS (the default entry, minified, without the wasm-bindgen glue) is at most 10 KB brotli", async () => {
  const { build } = await import('esbuild');
  const { brotliCompressSync, constants: Z } = await import('node:zlib');
  const out = await build({ stdin: { contents: "export * from 'chat-vitals';", resolveDir: app, loader: 'js' }, bundle: true,
    format: 'esm', minify: true, write: false, target: 'chrome120', legalComments: 'none', logLevel: 'error',
    plugins: [{ name: 'glue-external', setup(b) { b.onResolve({ filter: /pkg(-full)?\/chat_vitals\.js$/ }, (a) => ({ path: a.path, external: true })); } }] });
  const raw = out.outputFiles[0].contents;
  const brotli = brotliCompressSync(raw, { params: { [Z.BROTLI_PARAM_QUALITY]: 11, [Z.BROTLI_PARAM_LGWIN]: 24 } }).length;
  assert.ok(brotli <= 10_240, `the kit's own JS is ${brotli} B brotli (${raw.length} B minified); the budget is 10,240 B (BENCHMARKS.md row 3)`);
});

test('webpack 5: emits the wasm as an asset from new URL(…, import.meta.url)', async () => {
  const { default: webpack } = await import('webpack');
  const dir = join(app, 'webpack');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: dir, entry: './main.js', output: { path: join(dir, 'dist'), filename: 'main.js' },
    devtool: false, performance: { hints: false },
  }, (err, s) => (err ? reject(err) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  cpSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
  assert.ok(readdirSync(join(dir, 'dist')).some((f) => f.endsWith('.wasm')), 'webpack emitted the wasm');
  await assertMeasured(await run(`${server.page}webpack/dist/index.html?api=${encodeURIComponent(api())}`), 'webpack');
  await assertMeasuredFull(await run(`${server.page}webpack/dist/index.html?api=${encodeURIComponent(api())}&full=1`), 'webpack');
});

test('Vite: build + preview; the wasm is emitted as an asset', async () => {
  const vite = await import('vite');
  const root = join(app, 'vite');
  await vite.build({ root, logLevel: 'error', configFile: false, build: { outDir: 'dist', target: 'es2022' } });
  assert.ok(readdirSync(join(root, 'dist', 'assets')).some((f) => f.endsWith('.wasm')), 'Vite emitted the wasm');
  const preview = await vite.preview({ root, configFile: false, logLevel: 'error', build: { outDir: 'dist' },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  try {
    const url = preview.resolvedUrls.local[0];
    await assertMeasured(await run(`${url}?api=${encodeURIComponent(api())}`), 'Vite');
    await assertMeasuredFull(await run(`${url}?api=${encodeURIComponent(api())}&full=1`), 'Vite');
  } finally {
    await preview.close();
  }
});

test('@playwright/test project: chat-vitals/playwright as a fixture measures the app to complete', async () => {
  exampleServer ??= await startServer({ profile: 'steady' });
  const dir = join(app, 'playwright');
  const r = spawnSync(process.execPath, [join(TOOLS, '@playwright', 'test', 'cli.js'), 'test', '-c', join(dir, 'playwright.config.mjs')], {
    cwd: dir, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, APP_URL: `${exampleServer.page}examples/chat/?profile=steady&tokens=12`, CI: '1' },
  });
  assert.equal(r.status, 0, `playwright test:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /1 passed/);
});
