import { rmSync } from 'node:fs';
import { withoutSuiteSettings } from '../model/config';
import { main, playwright } from './run';

/**
 * `npm test`: every project (the self-tests and the conformance run against the embedded mock),
 * hermetic: the caller's target settings never leak into it.
 */
main('test', async () => {
  const env = withoutSuiteSettings();
  env.ALLURE_RESULTS_DIR = 'reports/selftest-allure-results';
  env.CONFORMANCE_REGRESSIONS_DIR = 'reports/regressions-selftest';
  rmSync(env.ALLURE_RESULTS_DIR, { recursive: true, force: true });
  return playwright(process.argv.slice(2), env);
});
