import { existsSync } from 'node:fs';
import { UserError } from '../model/errors';
import { coverageLine } from '../run/coverage/report';
import { verdictLine } from '../run/report/defects';
import { mergeResults } from '../run/report/merge';
import { latestRun, markLatest, runPaths, shown } from '../run/report/paths';
import { renderReport } from '../run/report/render';
import { main } from './run';

/**
 * `npm run report [-- <results dir>...]`: renders the last run's Allure report again (reports/
 * latest); with results directories (one per shard), merges them into a run directory of their
 * own and recomputes the run's drift, coverage and verdicts from all of them. The report is one
 * HTML file that opens from disk (ALLURE_SINGLE_FILE=0 for a directory to serve).
 */
main('report', async () => {
  const dirs = process.argv.slice(2);
  for (const d of dirs) if (!existsSync(d)) throw new UserError(`no such results directory: ${d}`);
  let run = latestRun();
  if (dirs.length) {
    const id = `merged-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    run = runPaths(id, { ...process.env, ALLURE_RESULTS_DIR: '' });
    const m = mergeResults(dirs, run.results, run.dir);
    markLatest(id);
    process.stdout.write(`merged ${dirs.length} result directories: ${m.results} results (${m.dropped} duplicates dropped) into ${shown(run.dir)}\n`);
    // Recomputed from every shard's observations: the whole run's, as one unsharded run would give.
    if (m.verdicts) process.stdout.write(`${verdictLine(m.verdicts)} (${shown(run.defects)})\n`);
    if (m.drift) process.stdout.write(`drift: ${m.drift.summary.new} new, ${m.drift.summary.expired} expired, ${m.drift.summary.known} known\n`);
    if (m.coverage) process.stdout.write(`${coverageLine(m.coverage)}\n`);
  }
  if (!run) throw new UserError('no run to report on: reports/latest names none yet; run npm run conformance first, or name shard result directories');
  const index = await renderReport(run.results, run.report).catch((e) => {
    throw new UserError(e.message);
  });
  process.stdout.write(`report: ${shown(index)}\n`);
  return 0;
});
