// Issue 4: wrapFetch as the `fetch` option of the real SDKs (npm openai, @anthropic-ai/sdk, ai, bundled into
// www/vendor) in headless Chromium. The SDK is the app: the text it hands the app must equal what the endpoint sent,
// and the kit's report must carry the endpoint's TTFT (within TOL_MS on one clock), chunk count and token count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useKitPage, assertTtftMatches, assertContentChunksMatch, onlyLog, untilTimely } from './kit-helpers.mjs';

let server;
let page;
useKitPage({ profile: 'scripted' }, async (env) => {
  ({ server, page } = env);
  // One warm-up request per origin so connection setup / preflight caching / JIT are not in the first measurement.
  await page.evaluate(async (api) => { await (await fetch(`${api}/p/scripted,ttft=1,tokens=1/api/text`, { method: 'POST', body: '{}' })).text(); }, server.api);
});

// 12 tokens, TTFT 120 ms, then 30 ms gaps (the scripted profile).
const PROFILE = 'scripted,ttft=120,tokens=12';

/**
 * Runs `scenario` in the page twice: once as a warm-up (the first use of an SDK bundle pays parse/JIT costs on the
 * main thread, which delay when the page can see a chunk), then measured with a cleared endpoint log.
 */
async function measured(scenario) {
  const args = { api: server.api, profile: PROFILE };
  await page.evaluate(scenario, args);
  await server.clear();
  await page.evaluate(() => { cv.diagnostics.length = 0; });
  return page.evaluate(scenario, args);
}

/**
 * What every SDK test checks against the endpoint's log of its one request: no diagnostics, the app got exactly the
 * text sent, the report is complete and streamed in `format` with the endpoint's TTFT, chunks and characters.
 * Resolves the log.
 */
async function checkCommon(result, format) {
  const log = await onlyLog(server);
  assert.deepEqual(result.diagnostics, [], 'the kit recorded no problems');
  assert.equal(log.outcome, 'complete');
  assert.equal(result.text, log.text, 'the SDK gave the app exactly the text the endpoint sent');
  const r = result.report;
  assert.equal(r.outcome, 'complete');
  assert.equal(r.streamed, true);
  assert.equal(r.format, format);
  assertTtftMatches(r, log);
  assertContentChunksMatch(r, log);
  assert.equal(r.contentChars, [...log.text].length, 'content characters (code points) match the text sent');
  return log;
}

/** The output tokens are the ones the endpoint's usage reported. */
function checkUsageTokens(report, log) {
  assert.equal(report.tokenSource, 'usage');
  assert.equal(report.outputTokens, log.outputTokens);
}

test('openai chat.completions.create({stream: true}) through wrapFetch', (t) => untilTimely(t, server, async () => {
  const result = await measured(({ api, profile }) => cv.throughKit(async (fetch) => {
    const client = new cv.OpenAI({ apiKey: 'sk-test', baseURL: `${api}/p/${profile}/v1`, dangerouslyAllowBrowser: true, fetch });
    const stream = await client.chat.completions.create({
      model: 'sim', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  }));
  const log = await checkCommon(result, 'openai-chat');
  checkUsageTokens(result.report, log);
  assert.equal(result.report.endMarkerSeen, true);
}));

test('openai responses.create({stream: true}) through wrapFetch', (t) => untilTimely(t, server, async () => {
  const result = await measured(({ api, profile }) => cv.throughKit(async (fetch) => {
    const client = new cv.OpenAI({ apiKey: 'sk-test', baseURL: `${api}/p/${profile}/v1`, dangerouslyAllowBrowser: true, fetch });
    const stream = await client.responses.create({ model: 'sim', input: 'hi', stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    return text;
  }));
  checkUsageTokens(result.report, await checkCommon(result, 'openai-responses'));
}));

test('@anthropic-ai/sdk messages.stream(...) through wrapFetch', (t) => untilTimely(t, server, async () => {
  const result = await measured(({ api, profile }) => cv.throughKit(async (fetch) => {
    const client = new cv.Anthropic({ apiKey: 'sk-ant-test', baseURL: `${api}/p/${profile}`, dangerouslyAllowBrowser: true, fetch });
    return client.messages.stream({ model: 'sim', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalText();
  }));
  checkUsageTokens(result.report, await checkCommon(result, 'anthropic'));
}));

test('ai (AI SDK) DefaultChatTransport with a custom fetch, UI message stream', (t) => untilTimely(t, server, async () => {
  const result = await measured(({ api, profile }) => cv.throughKit(async (fetch) => {
    const transport = new cv.ai.DefaultChatTransport({ api: `${api}/p/${profile}/api/ai-sdk/chat`, fetch });
    const stream = await transport.sendMessages({
      chatId: 'chat-1', trigger: 'submit-message', messageId: undefined, abortSignal: undefined,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
    });
    let message;
    for await (const m of cv.ai.readUIMessageStream({ stream })) message = m;
    return message.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');
  }));
  await checkCommon(result, 'ai-sdk-ui');
  assert.equal(result.report.formatDetectedBy, 'header');
  // The UI message stream carries no usage: the kit counts tokens from its events (one per text-delta here).
  assert.ok(result.report.outputTokens > 0, `outputTokens ${result.report.outputTokens}`);
  assert.notEqual(result.report.tokenSource, 'usage');
}));
