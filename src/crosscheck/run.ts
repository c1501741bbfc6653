import { resolve } from 'node:path';
import { type HarnessOptions, runAgainstMock } from '../selfcheck/harness';
import { wholeSuite } from '../selfcheck/suite';
import { DEFAULT_SPEC } from '../spec/load';
import type { SuiteEnv } from '../suites/examples';
import { type CrossCheckResult, compareWithPrism } from './compare';
import { startPrism } from './prism';

/** `errors`: `prism proxy --errors`, which answers invalid exchanges itself; `observe`: plain `prism proxy`, which forwards everything and reports in `sl-violations`. */
export type PrismMode = 'errors' | 'observe';

/**
 * Runs a scenario (by default the whole conformance suite, in-process) against the embedded mock
 * through Prism's validating proxy, and compares Prism's verdict with the suite's.
 */
export async function crossCheck(
  mode: PrismMode,
  opts: Omit<HarnessOptions, 'via'> = {},
  scenario: (env: SuiteEnv) => Promise<string[] | void> = (env) => wholeSuite(env),
): Promise<CrossCheckResult> {
  let stepErrors: string[] = [];
  const run = await runAgainstMock({ ...opts, via: (upstream) => startPrism({ spec: resolve(__dirname, '../..', DEFAULT_SPEC), upstream, errors: mode === 'errors' }) }, async (env) => {
    stepErrors = (await scenario(env)) ?? [];
  });
  return compareWithPrism(run.recorded, run.setupError ? [`setup: ${run.setupError}`, ...stepErrors] : stepErrors);
}
