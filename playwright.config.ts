import { defineConfig } from '@playwright/test';
import { currentRun } from './src/run/report/paths';

const PACE = Math.max(1, Number(process.env.SELFTEST_PACE) || 1);
// Each run writes to a directory of its own (src/run/report/paths.ts).
const RUN = currentRun();

/**
 * Two projects:
 * - `conformance`: the suite run against a target (`npm run conformance`);
 * - `selftest`: proves the suite itself (the mock is faithful, every check fires, the engine and
 *   tools work). `npm test` runs both.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: RUN.testResults,
  fullyParallel: true,
  // The commands check CONFORMANCE_WORKERS (a whole number, one line if not); anything else here falls back.
  workers: /^[1-9]\d*$/.test(process.env.CONFORMANCE_WORKERS ?? '') ? Number(process.env.CONFORMANCE_WORKERS) : 2,
  // npm test measures how loaded the machine is (SELFTEST_PACE, 1 on a quiet one): budgets scale by it.
  timeout: 60_000 * PACE,
  expect: { timeout: 15_000 * PACE },
  forbidOnly: !!process.env.CI,
  globalSetup: './src/run/global-setup.ts',
  reporter: [
    // A conformance run shows its progress and then its defects; the self-tests list every test.
    process.env.CONFORMANCE_PROGRESS === '1' ? ['./src/run/report/progress.ts'] : ['list'],
    ['allure-playwright', { resultsDir: RUN.results, detail: false }],
    ['junit', { outputFile: RUN.junit }],
    ['./src/run/report/terminal-summary.ts'],
    ['./src/run/report/summary-reporter.ts'],
  ],
  projects: [
    { name: 'conformance', testDir: './tests/conformance' },
    { name: 'selftest', testDir: './tests', testIgnore: ['conformance/**'] },
  ],
});
