import { defineConfig } from '@playwright/test';

/**
 * Two projects:
 * - `conformance`: the suite run against a target (`npm run conformance`);
 * - `selftest`: proves the suite itself (the mock is faithful, every check fires, the engine and
 *   tools work). `npm test` runs both.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './reports/test-results',
  fullyParallel: true,
  workers: process.env.CONFORMANCE_WORKERS ? Number(process.env.CONFORMANCE_WORKERS) : 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  globalSetup: './src/run/global-setup.ts',
  reporter: [
    ['list'],
    ['allure-playwright', { resultsDir: process.env.ALLURE_RESULTS_DIR ?? './reports/allure-results', detail: false }],
    ['junit', { outputFile: './reports/junit.xml' }],
    ['./src/run/report/terminal-summary.ts'],
    ['./src/run/report/summary-reporter.ts'],
  ],
  projects: [
    { name: 'conformance', testDir: './tests/conformance' },
    { name: 'selftest', testDir: './tests', testIgnore: ['conformance/**'] },
  ],
});
