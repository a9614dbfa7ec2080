// The one e2e harness: the CLI's runtime (server + browsers of every engine, www/cli/runtime.mjs and browsers.mjs),
// a `useBrowser` that owns launch and teardown for a test file or a describe block, and the report schema check.
export * from '../../www/cli/runtime.mjs';

import { before, after } from 'node:test';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { REPO as ROOT, startServer, launchBrowser } from '../../www/cli/runtime.mjs';

// Formats (date-time) are checked separately, so no ajv-formats dependency.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(JSON.parse(readFileSync(joinPath(ROOT, 'docs', 'report.schema.json'), 'utf8')));

/** Throws with every schema violation listed unless `report` matches docs/report.schema.json. */
export function assertValidReport(report) {
  if (!validate(report)) {
    throw new Error(`report does not match docs/report.schema.json:\n${validate.errors.map((e) => `  ${e.instancePath} ${e.message}`).join('\n')}`);
  }
  if (Number.isNaN(Date.parse(report.generatedAt))) throw new Error(`generatedAt ${report.generatedAt} is not a date-time`);
}

/**
 * Loads the fallback fonts of the simulated text's glyphs before a file's tests run (www/test-pages/fonts.js says
 * why): the first frame that shows a CJK or emoji word otherwise spends 100+ ms rendering with a cold page cache.
 */
async function warmFonts({ server, browser }) {
  await browser.goto(`${server.page}test-pages/fonts.html`);
  await browser.waitFor(() => window.fontsWarm === true);
}

/**
 * Registers `before`/`after` hooks in the current scope (a file or a describe block): start the project's server
 * (`profile`, `relay`, `www`: the directory it serves) and a fresh browser (`engine`, default chromium; `viewport`; `bidi` for init scripts in
 * Firefox), then call `ready({server, browser})` for the file's own setup. `after` closes the browser and stops the
 * server even when setup failed halfway. Returns the same live object, filled in once `before` ran.
 */
export function useBrowser({ profile = 'scripted', relay = false, www, engine = 'chromium', viewport, bidi = false } = {}, ready) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer({ profile, relay, ...(www ? { www } : {}) });
    env.browser = await launchBrowser(engine, { viewport, bidi });
    if (!www) await warmFonts(env);
    await ready?.(env);
  });
  after(async () => {
    try { await env.browser?.close(); } finally { env.server?.stop(); }
  });
  return env;
}
