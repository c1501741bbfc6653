import { rmSync } from 'node:fs';
import { readConfig } from '../model/config';
import { effectiveFor } from '../run/describe';
import { renderReport, RESULTS_DIR } from '../run/report/render';
import { loadSpec } from '../model/spec/load';
import { preflight } from './preflight';
import { main, playwright } from './run';

/**
 * `npm run conformance [-- <playwright args>]`: checks the settings and the target, runs the
 * conformance project, renders the Allure report. Exit code: 0 all checks passed, 1 a check
 * failed, 2 a usage mistake.
 */
main('conformance', async () => {
  const cfg = readConfig();
  loadSpec(cfg.specPath);
  effectiveFor(cfg);
  await preflight(cfg);
  const results = process.env.ALLURE_RESULTS_DIR ?? RESULTS_DIR;
  rmSync(results, { recursive: true, force: true });
  // Fixed here so every worker, the report and the replay line agree on them.
  const env = { ...process.env, CONFORMANCE_SEED: String(cfg.seed), CONFORMANCE_RUN_ID: cfg.runId };
  const code = await playwright(['--project=conformance', ...process.argv.slice(2)], env);
  const report = await renderReport(results);
  process.stdout.write(`report: ${report}\n`);
  return code;
});
