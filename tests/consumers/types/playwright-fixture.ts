// The fixture as @playwright/test users write it, checked against Playwright's own types.
import { test as base, expect } from '@playwright/test';
import { chatVitalsFixtures, type ChatVitalsFixtures } from 'chat-vitals/playwright';

const test = base.extend<ChatVitalsFixtures>(chatVitalsFixtures({ match: '/v1/chat/completions', observe: '.msg' }));
test.use({ chatVitalsOptions: { match: /\/v1\//, paints: 'first' } });
test('typed', async ({ page, chatVitals }) => {
  await page.goto('about:blank');
  const { responses } = await chatVitals.collect();
  expect(responses[0]?.outcome).toBe('complete');
  await chatVitals.assertBudget({ 'ttft.p95': 1500 });
  // @ts-expect-error a budget maps keys to numbers
  await chatVitals.assertBudget({ 'ttft.p95': '1500' });
});
