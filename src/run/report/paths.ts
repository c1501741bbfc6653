import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Where runs write. Every run has a directory of its own, `<root>/runs/<run id>/` (Allure results
 * and report, JUnit, defects, drift, coverage, the effective configuration, Playwright's output,
 * the regressions it found), so two runs in one checkout - or a run beside `npm test`, whose root
 * is its own - never write over each other. `<root>/latest` names the last run that finished.
 * `CONFORMANCE_REPORTS_DIR` moves the root (default `reports`).
 */
export const reportsRoot = (env: NodeJS.ProcessEnv = process.env) => resolve(env.CONFORMANCE_REPORTS_DIR || 'reports');

export interface RunPaths {
  dir: string;
  /** Allure results (ALLURE_RESULTS_DIR overrides: shards name theirs). */
  results: string;
  report: string;
  testResults: string;
  junit: string;
  /** Property failures this run found, to review and promote into the corpus (`npm run regressions`). */
  regressions: string;
  defects: string;
  effectiveConfig: string;
}

export function runPaths(runId: string, env: NodeJS.ProcessEnv = process.env): RunPaths {
  const dir = join(reportsRoot(env), 'runs', runId);
  return {
    dir,
    results: env.ALLURE_RESULTS_DIR ? resolve(env.ALLURE_RESULTS_DIR) : join(dir, 'allure-results'),
    report: join(dir, 'allure-report'),
    testResults: join(dir, 'test-results'),
    junit: join(dir, 'junit.xml'),
    regressions: join(dir, 'regressions'),
    defects: join(dir, 'defects.md'),
    effectiveConfig: join(dir, 'effective-config.json'),
  };
}

/** The run directory of the run in progress (its id fixed by the command that started it). */
export const currentRun = (env: NodeJS.ProcessEnv = process.env) => runPaths(env.CONFORMANCE_RUN_ID || 'adhoc', env);

/** Makes `<root>/latest` name this run: a link swapped in whole, never half-made. */
export function markLatest(runId: string, root = reportsRoot()): void {
  mkdirSync(root, { recursive: true });
  const link = join(root, 'latest');
  const aside = `${link}.${process.pid}`;
  rmSync(aside, { force: true });
  symlinkSync(join('runs', runId), aside);
  renameSync(aside, link);
}

/** The run `<root>/latest` names, if any. */
export function latestRun(root = reportsRoot()): RunPaths | undefined {
  const link = join(root, 'latest');
  if (!existsSync(link)) return undefined;
  return runPaths(readlinkSync(link).split(/[\\/]/).at(-1)!, { CONFORMANCE_REPORTS_DIR: root });
}

/** A path as a person reads it: relative to where they ran the command. */
export const shown = (path: string) => relative(process.cwd(), path) || '.';
