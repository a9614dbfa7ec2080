// chat-vitals as a @playwright/test fixture: the app (APP_URL, an unmodified chat page streaming from the simulated
// endpoint) is instrumented before its scripts run; the test drives it like a user and asserts a budget.
import { test as base, expect } from '@playwright/test';
import { chatVitalsFixtures } from 'chat-vitals/playwright';

const test = base.extend(chatVitalsFixtures({ match: '/v1/chat/completions', observe: '.msg.assistant:last-child' }));

test('a streamed answer is measured to complete and meets the budget', async ({ page, chatVitals }) => {
  await page.goto(process.env.APP_URL);
  await page.fill('#input', 'What is TTFT?');
  await page.click('#send');
  await expect(page.locator('.msg.assistant[data-done="true"]')).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(async () => (await chatVitals.collect()).responses.length, { timeout: 10_000 }).toBe(1);
  const { responses, diagnostics } = await chatVitals.collect();
  expect(responses[0].outcome).toBe('complete');
  expect(responses[0].perceivedTtftMs).toBeGreaterThanOrEqual(responses[0].ttftMs);
  expect(diagnostics).toEqual([]);
  await chatVitals.assertBudget({ 'ttft.p95': 5000, 'stalls.max': 0 });
  await expect(chatVitals.assertBudget({ 'ttft.p95': 1 })).rejects.toThrow(/ttft\.p95/);
});
