import { type HarnessOptions, runAgainstMock } from '../selfcheck/harness';
import { wholeSuite } from '../selfcheck/suite';
import { DEFAULT_SPEC } from '../../model/spec/load';
import type { Scenario } from '../env';
import { type CrossCheckResult, compareWithPrism } from './compare';
import { startPrism } from './prism';
import { projectPath } from '../../model/paths';
import { loadContracts } from '../../model/contracts';

/** `errors`: `prism proxy --errors`, which answers invalid exchanges itself; `observe`: plain `prism proxy`, which forwards everything and reports in `sl-violations`. */
export type PrismMode = 'errors' | 'observe';

/**
 * Runs a scenario (by default the whole conformance suite, in-process) against the embedded mock
 * through Prism's validating proxy, and compares Prism's verdict with the suite's.
 */
export async function crossCheck(
  mode: PrismMode,
  opts: Omit<HarnessOptions, 'via'> = {},
  scenario: Scenario = (env) => wholeSuite(env),
): Promise<CrossCheckResult> {
  const run = await runAgainstMock({ ...opts, via: (upstream) => startPrism({ spec: projectPath(DEFAULT_SPEC), upstream, errors: mode === 'errors' }) }, scenario);
  return compareWithPrism(run.recorded, run.setupError ? [`setup: ${run.setupError}`, ...run.stepErrors] : run.stepErrors, loadContracts(opts.env?.CONFORMANCE_CONTRACTS_DIR).invariants.versions.header);
}
