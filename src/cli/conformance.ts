import { existsSync, readdirSync } from 'node:fs';
import { projectPath } from '../model/paths';
import { readConfig } from '../model/config';
import { markLatest, runPaths, shown } from '../run/report/paths';
import { renderReport } from '../run/report/render';
import { checkedInputs, preflight } from './preflight';
import { checkPlaywrightArgs, main, playwright } from './run';

/**
 * `npm run conformance [-- <playwright args>]`: checks the arguments, the settings and the
 * target, runs the conformance project into a directory of its own (reports/runs/<run id>/),
 * renders its Allure report there and names it reports/latest. `--list` lists the tests and
 * writes no report. Exit code: 0 all checks passed, 1 a check failed, 2 a usage mistake.
 */
main('conformance', async () => {
  const args = process.argv.slice(2);
  checkPlaywrightArgs(args, 'tests/conformance', readdirSync(projectPath('tests/conformance')).map((f) => `tests/conformance/${f}`), 'conformance');
  const cfg = readConfig();
  // Fixed here so every worker, the report and the replay line agree on them.
  const env = { ...process.env, CONFORMANCE_SEED: String(cfg.seed), CONFORMANCE_RUN_ID: cfg.runId };
  if (args.includes('--list')) return playwright(['--project=conformance', '--reporter=list', ...args], env);
  await preflight(cfg, checkedInputs(cfg));
  const run = runPaths(cfg.runId);
  const code = await playwright(['--project=conformance', ...args], { ...env, CONFORMANCE_PROGRESS: process.env.CONFORMANCE_PROGRESS ?? '1' });
  if (!existsSync(run.results)) {
    process.stdout.write('no test ran (their filter matched none), so no report was made\n');
    return code || 1;
  }
  const report = await renderReport(run.results, run.report);
  markLatest(cfg.runId);
  process.stdout.write(`report: ${shown(report)} (one file; open it in a browser), reports/latest names this run\n`);
  return code;
});
