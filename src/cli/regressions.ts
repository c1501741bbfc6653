import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../model/errors';
import { CORPUS_DIR, type Regression } from '../run/properties/corpus';
import { latestRun, runPaths, shown } from '../run/report/paths';
import { main } from './run';

const USAGE = 'usage: npm run regressions -- [promote [file...]] [--run RUN_ID]';

/**
 * `npm run regressions`: lists the property failures a run saved beside its report (the last
 * run's, or `--run ID`'s). `promote` copies them (all, or those named) into the corpus every later
 * run replays first (contracts/regressions/, to commit). A failure found against a faulty or
 * wrong target stays in its run's directory until a person promotes it.
 */
main('regressions', async () => {
  const args = process.argv.slice(2);
  let runId: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--run') runId = args[++i];
    else if (args[i].startsWith('-')) throw new UserError(`unknown option ${args[i]}; ${USAGE}`);
    else rest.push(args[i]);
  }
  if (runId !== undefined && !/^[a-z0-9-]{3,40}$/.test(runId)) throw new UserError(`--run needs a run id (a directory of reports/runs/); ${USAGE}`);
  const run = runId ? runPaths(runId) : latestRun();
  if (!run || !existsSync(run.dir)) throw new UserError(`no such run${runId ? ` ${runId}` : ' (reports/latest names none yet)'}; ${USAGE}`);
  const files = existsSync(run.regressions) ? readdirSync(run.regressions).filter((f) => f.endsWith('.json')) : [];
  const [verb, ...names] = rest;
  if (verb === undefined) {
    process.stdout.write(`${files.length} regression(s) in ${shown(run.regressions)}${files.length ? ':' : ''}\n`);
    for (const f of files) {
      const r = JSON.parse(readFileSync(join(run.regressions, f), 'utf8')) as Regression;
      process.stdout.write(`  ${f}  ${r.test}  [${r.checks.join(', ')}]\n`);
    }
    if (files.length) process.stdout.write('promote them into contracts/regressions/ with: npm run regressions -- promote\n');
    return 0;
  }
  if (verb !== 'promote') throw new UserError(`unknown command ${verb}; ${USAGE}`);
  const chosen = names.length ? names.map((n) => basename(n)) : files;
  const missing = chosen.filter((f) => !files.includes(f));
  if (missing.length) throw new UserError(`${missing.join(', ')} is not a regression of ${shown(run.regressions)}; npm run regressions lists them`);
  mkdirSync(CORPUS_DIR, { recursive: true });
  for (const f of chosen) copyFileSync(join(run.regressions, f), join(CORPUS_DIR, f));
  process.stdout.write(`promoted ${chosen.length} regression(s) into ${shown(CORPUS_DIR)}: later runs replay them first; commit them\n`);
  return 0;
});
