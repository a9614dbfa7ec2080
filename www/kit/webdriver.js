// chat-vitals in your own Selenium (selenium-webdriver) tests: the same calls as ./playwright.js, for a WebDriver
// session of any engine.
//
//   import { instrument, collect, assertBudget } from './www/kit/webdriver.js';
//   await instrument(driver, { match: '/v1/chat/completions', observe: '.msg.assistant:last-child' }); // needs BiDi
//   await driver.get(appUrl); … drive the chat …
//   await assertBudget(driver, { 'ttft.p95': 1500, 'stalls.max': 0 });
//
// instrument() registers the injectable build as a WebDriver BiDi preload script (`script.addPreloadScript`), so
// window.fetch is wrapped before the app's own scripts run on every page load. It needs a session with BiDi
// (selenium: `options.enableBidi()`; Firefox and Chromium have it). Without BiDi (WebKit's WebDriver), call
// inject(driver, options) after each get(): it measures fetches made from then on, so an app that kept a reference to
// the original fetch at load time is not measured.
import { injectSource, throwIfBudgetFails } from './playwright.js';

/** Instruments every page load of a BiDi WebDriver session; resolves the preload script's id. */
export async function instrument(driver, options = {}) {
  if (typeof driver?.script !== 'function') throw new TypeError('instrument(driver): a selenium-webdriver WebDriver is needed');
  try {
    return await driver.script().pin(`() => {\n${injectSource(options)}\n}`);
  } catch (e) {
    throw new Error(`instrument(driver) needs a WebDriver BiDi session (selenium: options.enableBidi()); use inject() after get() otherwise: ${e.message}`);
  }
}

/**
 * Instruments the page that is loaded now (classic WebDriver, any engine); resolves true if the kit loaded. The
 * build runs as a <script> element in the page's own realm (Firefox runs executeScript code in a separate global,
 * where wrapping `fetch` would not reach the page); a Content-Security-Policy without 'unsafe-inline' blocks it.
 */
export async function inject(driver, options = {}) {
  return driver.executeScript(`const s = document.createElement('script');
s.textContent = arguments[0];
(document.head ?? document.documentElement).append(s);
s.remove();
return !!window.chatVitals;`, injectSource(options));
}

/** The measured responses, the summary, diagnostics and the environment (engine, capabilities), as collect() in ./playwright.js. */
export async function collect(driver) {
  return inPage(driver, `return ({ responses: window.chatVitals.reports(), summary: window.chatVitals.summary(),
    diagnostics: window.chatVitals.diagnostics, environment: window.chatVitals.environment() });`);
}

/** Checks a budget in the page; resolves the result ({pass, checked, violations}). */
export async function checkBudget(driver, budget) {
  return inPage(driver, 'return window.chatVitals.checkBudget(arguments[0]);', budget);
}

/** Like checkBudget, but throws an Error listing every violation when the budget fails. */
export async function assertBudget(driver, budget) {
  return throwIfBudgetFails(await checkBudget(driver, budget));
}

/** Runs a function body in the page and returns its value, crossing as JSON text (as Playwright's evaluate does). */
async function inPage(driver, body, ...args) {
  const json = await driver.executeScript(`if (!window.chatVitals) throw new Error('chat-vitals is not in this page: call instrument() before get(), or inject() after it');
const v = (function () { ${body} }).apply(null, arguments);
return JSON.stringify(v === undefined ? null : v);`, ...args);
  return JSON.parse(json);
}
