import { existsSync } from 'node:fs';
import { UserError } from '../model/errors';
import { mergeResults } from '../run/report/merge';
import { renderReport, RESULTS_DIR } from '../run/report/render';
import { main } from './run';

/**
 * `npm run report [-- <results dir>...]`: renders reports/allure-results to reports/allure-report;
 * with directories (one per shard), merges them first. ALLURE_SINGLE_FILE=1 gives one HTML file.
 */
main('report', async () => {
  const dirs = process.argv.slice(2);
  for (const d of dirs) if (!existsSync(d)) throw new UserError(`no such results directory: ${d}`);
  let results = RESULTS_DIR;
  if (dirs.length) {
    results = 'reports/allure-results-merged';
    const m = mergeResults(dirs, results);
    process.stdout.write(`merged ${dirs.length} result directories: ${m.results} results (${m.dropped} duplicates dropped)\n`);
  }
  const index = await renderReport(results).catch((e) => {
    throw new UserError(e.message);
  });
  process.stdout.write(`report: ${index}\n`);
  return 0;
});
