// The one driver layer: a headless browser of any engine behind the same small interface, so the CLI and the e2e
// tests name no engine. Chromium runs through playwright-core (Debian's /usr/bin/chromium); Firefox ESR and WebKit
// (WPE + cog, headless without a display) through selenium-webdriver and their WebDriver servers (geckodriver,
// WPEWebDriver). Every browser here is started fresh and removed by close().
//
//   const b = await launchBrowser('firefox');
//   await b.goto(url); await b.waitFor(() => window.cv?.ready);
//   const v = await b.evaluate((x) => x + 1, 41);   // like Playwright's page.evaluate: a function + one JSON argument
//   await b.screenshot({ path: 'shot.png', fullPage: true }); await b.close();
//
// What the engines differ in (measured; docs/METRICS.md has the per-engine table):
// - WebDriver get() in WebKit returns before module scripts have run: wait for a flag the page sets (waitFor).
// - Init scripts (run before the page's own) need Playwright or WebDriver BiDi: Chromium and Firefox here, not WPE.
import { mkdtempSync, rmSync, writeFileSync, existsSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter, basename } from 'node:path';
import { childPids, descendants, startedChild, endProcesses } from './processes.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/**
 * Chromium keeps its shared memory (IPC data pipes, compositor frames) in /dev/shm. `--disable-dev-shm-usage` moves
 * it to files in /tmp, which is only for a /dev/shm that is missing or tiny (Docker's default is 64 MB); on a disk
 * those pages can wait on writeback. (Suspected, not shown, to cause late TTFT stamps and first paints in two CI runs;
 * the perceived (b) failures continued with this change.)
 */
export function devShmArgs(path = '/dev/shm') {
  try {
    const { bavail, bsize } = statfsSync(path);
    return bavail * bsize >= 2 ** 30 ? [] : ['--disable-dev-shm-usage'];
  } catch {
    return ['--disable-dev-shm-usage'];
  }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', ...devShmArgs()];

/** Script timeout for in-page runs (an audit of many responses runs inside one evaluate). */
const SCRIPT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

/** Where each engine's browser and WebDriver server live (Debian packages; geckodriver from crates.io via setup.sh). */
export function enginePaths(env = process.env) {
  return {
    chromium: { browser: env.CHROMIUM ?? '/usr/bin/chromium' },
    firefox: { browser: env.FIREFOX ?? '/usr/bin/firefox-esr', driver: env.GECKODRIVER ?? onPath('geckodriver', env) },
    webkit: { browser: env.COG ?? '/usr/bin/cog', driver: env.WPEWEBDRIVER ?? '/usr/bin/WPEWebDriver' },
  };
}

function onPath(name, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return name;
}

/** Throws a usage-style error naming the valid engines unless `engine` is one. */
export function checkEngine(engine) {
  if (!ENGINES.includes(engine)) throw new RangeError(`unknown browser ${JSON.stringify(engine)}; valid: ${ENGINES.join(', ')}`);
  return engine;
}

/**
 * Launches a fresh headless browser of `engine` ('chromium' | 'firefox' | 'webkit').
 * Resolves {engine, browserName, browserVersion, page?, context?, driver?, goto, evaluate, waitFor, screenshot,
 * addInitScript, close}. `page`/`context` (Playwright) exist for Chromium only, `driver` (selenium) for the others.
 */
export async function launchBrowser(engine = 'chromium', { viewport = DEFAULT_VIEWPORT, bidi = false } = {}) {
  checkEngine(engine);
  if (engine === 'chromium') return launchChromium({ viewport });
  return launchWebDriver(engine, { viewport, bidi });
}

async function launchChromium({ viewport }) {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'cv-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: enginePaths().chromium.browser, headless: true, args: CHROMIUM_ARGS, viewport,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    engine: 'chromium',
    browserName: 'chromium',
    browserVersion: context.browser()?.version() ?? null,
    context, page, errors,
    goto: (url) => page.goto(url).then(() => undefined),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    waitFor: (fn, arg, { timeoutMs = 30000 } = {}) => page.waitForFunction(fn, arg, { timeout: timeoutMs }).then((h) => h.jsonValue()),
    screenshot: ({ path, fullPage = true }) => page.screenshot({ path, fullPage }).then(() => undefined),
    addInitScript: (source) => page.addInitScript({ content: source }),
    async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

async function launchWebDriver(engine, { viewport, bidi }) {
  const { Builder, Capabilities } = await import('selenium-webdriver');
  const paths = enginePaths()[engine];
  for (const [what, p] of Object.entries(paths)) {
    if (!existsSync(p)) throw new Error(`${engine}: ${what} ${p} is missing (bash scripts/setup.sh installs it)`);
  }
  let driver;
  let service;
  const before = childPids(process.pid);
  if (engine === 'firefox') {
    const firefox = (await import('selenium-webdriver/firefox.js')).default;
    const options = new firefox.Options().setBinary(paths.browser).addArguments('-headless')
      .windowSize(viewport);
    // BiDi only when asked: it adds a WebSocket per session (init scripts need it).
    if (bidi) options.enableBidi();
    driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
      .setFirefoxService(new firefox.ServiceBuilder(paths.driver)).build();
  } else {
    const remote = (await import('selenium-webdriver/remote/index.js')).default;
    service = new remote.DriverService.Builder(paths.driver).setLoopback(true).build();
    const url = await service.start();
    // WPE's headless platform has a fixed 800×600 window; `viewport` cannot change it.
    const caps = new Capabilities({ browserName: 'cog', 'wpe:browserOptions': { binary: paths.browser, args: ['--automation', '--platform=headless'] } });
    try {
      driver = await new Builder().usingServer(url).withCapabilities(caps).build();
    } catch (e) {
      await service.kill();
      throw e;
    }
  }
  // The WebDriver server this launch started (geckodriver, WPEWebDriver): close() waits for it and its browser.
  const server = startedChild(before, basename(paths.driver));
  await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT_MS });
  const caps = await driver.getCapabilities();
  const evaluate = (fn, arg) => evaluateIn(driver, engine, fn, arg);
  return {
    engine,
    browserName: caps.get('browserName'),
    browserVersion: caps.get('browserVersion') ?? null,
    driver,
    errors: null, // WebDriver classic has no console/page-error events
    goto: (url) => driver.get(url),
    evaluate,
    waitFor: (fn, arg, { timeoutMs = 30000 } = {}) => evaluate(waitForSource(fn, timeoutMs), arg),
    async screenshot({ path, fullPage = true }) {
      const png = fullPage && typeof driver.takeFullPageScreenshot === 'function'
        ? await driver.takeFullPageScreenshot() : await driver.takeScreenshot();
      writeFileSync(path, Buffer.from(png, 'base64'));
    },
    async addInitScript(source) {
      if (engine !== 'firefox' || !bidi) throw new Error(`${engine}: init scripts need WebDriver BiDi (launch Firefox with {bidi: true}); inject after goto() instead`);
      await driver.script().pin(`() => {\n${source}\n}`);
    },
    async close() {
      const procs = server ? [server, ...descendants(server.pid)] : []; // the driver, the browser and its helpers
      try { await driver.quit(); } finally { await service?.kill(); await endProcesses(procs); }
    },
  };
}

/**
 * Runs `fn(arg)` in the page (awaiting a returned promise) through executeAsyncScript. The value crosses as JSON text
 * (as with Playwright, only JSON-able values round-trip); an exception in the page rejects with its message.
 */
async function evaluateIn(driver, engine, fn, arg) {
  const src = typeof fn === 'function' ? String(fn) : fn;
  const script = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (${src})(arguments[0])).then(
  (v) => done({ ok: true, json: v === undefined ? null : JSON.stringify(v) }),
  (e) => done({ ok: false, message: String((e && e.message) || e), stack: String((e && e.stack) || '') }));`;
  const r = await driver.executeAsyncScript(script, arg === undefined ? null : arg);
  if (!r?.ok) throw new Error(`${engine}: page function failed: ${r?.message}\n${r?.stack ?? ''}`);
  return r.json === null ? undefined : JSON.parse(r.json);
}

/** A page function that polls `fn(arg)` each 20 ms until it returns a truthy value (a throw counts as not yet). */
function waitForSource(fn, timeoutMs) {
  return `async (arg) => {
  const f = (${String(fn)});
  const until = performance.now() + ${Number(timeoutMs)};
  for (;;) {
    let v;
    try { v = await f(arg); } catch { v = undefined; }
    if (v) return v;
    if (performance.now() > until) throw new Error('waitFor: timed out after ${Number(timeoutMs)} ms: ' + ${JSON.stringify(String(fn).slice(0, 120))});
    await new Promise((ok) => setTimeout(ok, 20)); // polls the condition; bounded by the deadline
  }
}`;
}
