// Issue 6: the opt-in same-origin relay reaches an endpoint without CORS; reports made through it say so;
// with the relay off the server refuses clearly.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, assertValidReport } from './harness.mjs';

const servers = [];
let browser;
after(async () => {
  await browser?.close();
  for (const s of servers) s.stop();
});

test('an endpoint without CORS is audited through the relay, and the report says relay: true', async () => {
  const server = await startServer({ profile: 'steady', relay: true });
  servers.push(server);
  browser = await launch();
  const { page } = browser;
  await page.goto(server.page);
  await page.evaluate(() => window.chatVitalsAudit.ready);
  const endpoint = `${server.api}/p/steady,cors=false,tokens=6`;
  await server.clear();
  const report = await page.evaluate((ep) => window.chatVitalsAudit.run({
    preset: 'openai-chat', endpoint: ep, relay: true, runs: 2, warmup: 0, concurrency: 1, prompts: ['hi'],
  }), endpoint);
  assertValidReport(report);
  assert.equal(report.relay, true);
  assert.equal(report.errors.length, 0, JSON.stringify(report.errors));
  assert.deepEqual(report.responses.map((r) => r.outcome), ['complete', 'complete']);
  const log = await server.log();
  assert.equal(log.length, 2, 'the endpoint saw both relayed requests');
  assert.equal(report.responses[0].outputTokens, 6);
});

test('with the relay off, /__relay answers 403 with how to turn it on', async () => {
  const server = await startServer({ profile: 'steady' });
  servers.push(server);
  const r = await fetch(`${server.page}__relay`, { method: 'POST', headers: { 'x-relay-target': `${server.api}/v1/chat/completions` }, body: '{}' });
  assert.equal(r.status, 403);
  assert.match((await r.json()).error.message, /--relay/);
});
