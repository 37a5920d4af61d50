import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // HTTP, crash and browser tests start real servers and a real browser.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here: files in parallel, but the browser and crash tests are heavy.
    maxWorkers: 2,
  },
});
