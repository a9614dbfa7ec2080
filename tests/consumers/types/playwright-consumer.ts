// The Playwright entry's types (structural: no Playwright package is needed to type-check this file).
import { instrument, collect, assertBudget, chatVitalsFixtures, type ChatVitalsFixtures } from 'chat-vitals/playwright';

declare const page: { addInitScript(s: { content: string }): Promise<unknown>;
  evaluate<R, A>(fn: (a: A) => R | Promise<R>, arg: A): Promise<R>; evaluate<R>(fn: () => R | Promise<R>): Promise<R> };

await instrument(page, { match: /\/v1\/chat\/completions/, observe: '.msg.assistant:last-child', paints: 'first' });
// @ts-expect-error paints takes 'all' | 'first'
await instrument(page, { paints: 'some' });
const { responses, summary } = await collect(page);
console.log(responses[0]?.outcome, responses[0]?.id, summary?.responses);
await assertBudget(page, { 'ttft.p95': 1500 });
const fixtures = chatVitalsFixtures({ match: '/v1/chat/completions' });
const opts: ChatVitalsFixtures['chatVitalsOptions'] = fixtures.chatVitalsOptions[0];
console.log(opts);
