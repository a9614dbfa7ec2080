// Issue 10: the published types cannot drift from the kit. The declarations (www/kit/index.d.ts, read with the
// TypeScript compiler API) are compared with what the kit really does:
//  - every runtime export of www/kit/index.js is declared, and nothing else is;
//  - every option key the kit reads (recorded with a Proxy in Chromium) is declared on that option type;
//  - ResponseReport equals real reports (measured in Chromium: a stream through wrapFetch + observe, with a long
//    frame) and docs/report.schema.json field for field, nested objects included; real reports validate against
//    the schema. A failure says which field to add where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import Ajv from 'ajv';
import { useBrowser, REPO } from './harness.mjs';
import { openKitPage } from './kit-helpers.mjs';

const DTS = join(REPO, 'www', 'kit', 'index.d.ts');
const SCHEMA = JSON.parse(readFileSync(join(REPO, 'docs', 'report.schema.json'), 'utf8'));
const REPORT_SCHEMA = SCHEMA.properties.responses.items;

const program = ts.createProgram([DTS], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], types: [] });
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(DTS));
const declared = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));

/** A declared type by name (an interface or type alias exported from index.d.ts). */
function typeOf(name) {
  const sym = declared.get(name);
  assert.ok(sym, `www/kit/index.d.ts exports ${name}`);
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  return checker.getDeclaredTypeOfSymbol(target);
}
const propNames = (type) => checker.getPropertiesOfType(type).map((p) => p.name).sort();
/** The type of property `key` of `type`, without null/undefined, and its element type if it is an array. */
function propType(type, key, element = false) {
  const prop = checker.getPropertyOfType(type, key);
  if (!prop) return null;
  let t = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
  if (element) t = t.getNumberIndexType() ?? t;
  return checker.getNonNullableType(t);
}

test('TypeScript reads www/kit/index.d.ts without errors', () => {
  const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(diags, []);
});

test('every runtime export of the kit is declared in www/kit/index.d.ts, and only those', async () => {
  const runtime = Object.keys(await import('../../www/kit/index.js')).sort();
  const values = [...declared.values()].filter((s) => {
    const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return t.flags & (ts.SymbolFlags.Value);
  }).map((s) => s.name).sort();
  const undeclared = runtime.filter((n) => !values.includes(n));
  const stale = values.filter((n) => !runtime.includes(n));
  assert.deepEqual(undeclared, [], `exported by www/kit/index.js but not declared: add them to www/kit/index.d.ts`);
  assert.deepEqual(stale, [], 'declared in www/kit/index.d.ts but not exported by www/kit/index.js');
});

let server;
let browser;
useBrowser({ profile: 'scripted' }, async (env) => {
  ({ server, browser } = env);
});

test('every option key the kit reads is declared on its option type', async () => {
  const page = await openKitPage(browser, server);
  const read = await page.evaluate(async (sim) => {
    const { cv } = window;
    const recorder = (set, base = {}) => new Proxy(base, { get(t, k) { if (typeof k === 'string') set.add(k); return t[k]; } });
    const keys = { begin: new Set(), wrapFetch: new Set(), observe: new Set(), session: new Set(), callback: new Set(), pump: new Set() };
    // begin(): read at start and at end.
    const h = cv.begin(recorder(keys.begin));
    cv.observe(document.body, h, recorder(keys.observe));
    h.chunk('data: {"choices":[{"delta":{"content":"x"}}]}\n\n');
    const body = new Response('data: [DONE]\n\n').body;
    await cv.pump(body, h, null, recorder(keys.pump, { end: false }));
    h.end('eof');
    // wrapFetch(): read per request (the options reach begin() as a copy, recorded above).
    const f = cv.wrapFetch(fetch, recorder(keys.wrapFetch, { match: '/v1/chat/completions', observe: 'body', session: new cv.Session() }));
    await (await f(`${sim}/v1/chat/completions`, { method: 'POST', body: '{}' })).text();
    new cv.Session(recorder(keys.session));
    const off = cv.onTTFT(() => {}, recorder(keys.callback));
    off();
    return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, [...v]]));
  }, `${server.api}/p/scripted,ttft=20,tokens=3`);
  const types = { begin: 'BeginOptions', wrapFetch: 'WrapFetchOptions', observe: 'ObserveOptions', session: 'SessionOptions',
    callback: 'CallbackOptions' };
  for (const [fn, typeName] of Object.entries(types)) {
    const have = propNames(typeOf(typeName));
    const missing = read[fn].filter((k) => !have.includes(k));
    assert.deepEqual(missing, [], `${fn}() reads option(s) ${missing.join(', ')}: declare them on ${typeName} in www/kit/index.d.ts`);
  }
  assert.ok(read.begin.includes('format') && read.wrapFetch.includes('match'), `the recorder saw the reads (${JSON.stringify(read)})`);
  assert.deepEqual(read.pump.filter((k) => k !== 'end'), [], 'pump() reads only `end` (declared inline)');
});

/** Measures real reports in Chromium: streams through wrapFetch with observe, one with a long frame. */
async function realReports() {
  const page = await openKitPage(browser, server);
  return page.evaluate(async (sim) => {
    const { cv } = window;
    const bubble = document.createElement('div');
    document.body.append(bubble);
    const reports = [];
    const f = cv.wrapFetch(fetch, { match: '/v1/chat/completions', observe: bubble, label: 'types', onReport: (r) => reports.push(r) });
    for (const block of [false, true]) {
      bubble.textContent = '';
      const res = await f(`${sim}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        bubble.append(r.value.length ? 'x' : '');
        if (block) { const until = performance.now() + 80; while (performance.now() < until) { /* a long frame */ } }
      }
      const n = reports.length;
      await new Promise((ok) => { const t = setInterval(() => { if (reports.length > n) { clearInterval(t); ok(); } }, 5); });
    }
    return reports;
  }, `${server.api}/p/scripted,ttft=30,tokens=6`);
}

/** Schema fields the audit page adds to each response (marked `"x-source": "audit"`): not in kit reports. */
const AUDIT_ONLY = Object.entries(REPORT_SCHEMA.properties).filter(([, v]) => v['x-source'] === 'audit').map(([k]) => k).sort();

/** Compares key sets at `path` of a real report, the declared type and the schema; returns problems as text. */
function compare(path, real, type, schema) {
  const problems = [];
  const realKeys = Object.keys(real ?? {}).sort();
  const typeKeys = type ? propNames(type) : [];
  const schemaKeys = Object.keys(schema?.properties ?? {}).filter((k) => path || !AUDIT_ONLY.includes(k)).sort();
  const at = path || 'ResponseReport';
  for (const k of realKeys) {
    if (!typeKeys.includes(k)) problems.push(`${at}.${k} is in real reports but not in the types: add it to ${path ? `the type of ${path}` : 'ResponseReport'} (www/kit/index.d.ts for kit fields, the bindings' d.ts in src/wasm for core fields)`);
    if (!schemaKeys.includes(k)) problems.push(`${at}.${k} is in real reports but not in docs/report.schema.json: add it under responses.items${path ? ` → ${path}` : ''}.properties`);
  }
  for (const k of typeKeys) if (!realKeys.includes(k)) problems.push(`${at}.${k} is declared in the types but no real report has it: remove it or make the kit/core emit it`);
  for (const k of schemaKeys) if (!realKeys.includes(k)) problems.push(`${at}.${k} is in docs/report.schema.json but no real kit report has it: remove it from the schema, or mark it "x-source": "audit" if the audit page adds it (and declare it on AuditResponseReport in www/kit/merge.d.ts)`);
  return problems;
}

test('ResponseReport = real reports = docs/report.schema.json, field for field; real reports validate', async () => {
  const reports = await realReports();
  assert.equal(reports.length, 2);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
  for (const r of reports) {
    assert.ok(validate(r), `a real report validates against responses.items of docs/report.schema.json:\n${(validate.errors ?? []).map((e) => `  ${e.instancePath} ${e.message}`).join('\n')}`);
  }
  const withFrame = reports.find((r) => r.longFrames.length > 0 && r.longFrames[0].script) ?? reports[1];
  const [r] = reports;
  const report = typeOf('ResponseReport');
  const timeline = propType(report, 'timeline');
  const longFrame = propType(report, 'longFrames', true);
  const sch = REPORT_SCHEMA.properties;
  const problems = [
    ...compare('', r, report, REPORT_SCHEMA),
    ...compare('ttftByRule', r.ttftByRule, propType(report, 'ttftByRule'), sch.ttftByRule),
    ...compare('timeline', r.timeline, timeline, sch.timeline),
    ...compare('timeline.chunks[]', r.timeline.chunks[0], timeline && propType(timeline, 'chunks', true), sch.timeline?.properties?.chunks?.items),
    ...compare('timeline.paints[]', r.timeline.paints[0], timeline && propType(timeline, 'paints', true), sch.timeline?.properties?.paints?.items),
  ];
  if (withFrame.longFrames.length) {
    problems.push(...compare('longFrames[]', withFrame.longFrames[0], longFrame, sch.longFrames?.items));
    if (withFrame.longFrames[0].script) {
      problems.push(...compare('longFrames[].script', withFrame.longFrames[0].script, longFrame && propType(longFrame, 'script'), sch.longFrames?.items?.properties?.script));
    }
  }
  assert.ok(problems.length === 0, `types, schema and real reports disagree:\n  ${problems.join('\n  ')}`);
  assert.ok(withFrame.longFrames.length > 0, 'the 80 ms busy loops produced a long animation frame in the report');
});

test('fields the audit page adds (schema "x-source": "audit") are declared on AuditResponseReport (www/kit/merge.d.ts)', () => {
  const mergeDts = join(REPO, 'www', 'kit', 'merge.d.ts');
  const p = ts.createProgram([mergeDts], { strict: true, noEmit: true, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'], types: [] });
  const c = p.getTypeChecker();
  const sym = c.getExportsOfModule(c.getSymbolAtLocation(p.getSourceFile(mergeDts))).find((s) => s.name === 'AuditResponseReport');
  assert.ok(sym, 'merge.d.ts exports AuditResponseReport');
  const own = c.getPropertiesOfType(c.getDeclaredTypeOfSymbol(sym)).map((x) => x.name)
    .filter((k) => !propNames(typeOf('ResponseReport')).includes(k)).sort();
  assert.deepEqual(own, AUDIT_ONLY, 'AuditResponseReport adds exactly the schema\'s "x-source": "audit" fields');
});
