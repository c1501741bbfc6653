import { existsSync } from 'node:fs';
import { UserError } from '../model/errors';
import { mergeResults } from '../run/report/merge';
import { verdictLine } from '../run/report/defects';
import { coverageLine } from '../run/coverage/report';
import { renderReport, RESULTS_DIR } from '../run/report/render';
import { main } from './run';

/**
 * `npm run report [-- <results dir>...]`: renders reports/allure-results to reports/allure-report;
 * with directories (one per shard), merges them first, and recomputes the run's drift, coverage
 * and defects from all of them. ALLURE_SINGLE_FILE=1 gives one HTML file.
 */
main('report', async () => {
  const dirs = process.argv.slice(2);
  for (const d of dirs) if (!existsSync(d)) throw new UserError(`no such results directory: ${d}`);
  let results = RESULTS_DIR;
  if (dirs.length) {
    results = 'reports/allure-results-merged';
    const m = mergeResults(dirs, results);
    process.stdout.write(`merged ${dirs.length} result directories: ${m.results} results (${m.dropped} duplicates dropped)\n`);
    // Recomputed from every shard's observations: the whole run's, as one unsharded run would give.
    if (m.verdicts) process.stdout.write(`${verdictLine(m.verdicts)} (reports/defects.md)\n`);
    if (m.drift) process.stdout.write(`drift: ${m.drift.summary.new} new, ${m.drift.summary.expired} expired, ${m.drift.summary.known} known (reports/drift.md)\n`);
    if (m.coverage) process.stdout.write(`${coverageLine(m.coverage)}\n`);
  }
  const index = await renderReport(results).catch((e) => {
    throw new UserError(e.message);
  });
  process.stdout.write(`report: ${index}\n`);
  return 0;
});
