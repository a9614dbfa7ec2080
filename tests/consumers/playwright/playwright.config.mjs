// A @playwright/test project as its users write one; Chromium is Debian's (/usr/bin/chromium or $CHROMIUM).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  reporter: 'line',
  workers: 1,
  timeout: 60_000,
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    },
  },
});
