import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observations } from '../../checks/drift/recorder';
import { loadContracts } from '../../model/contracts';
import { loadSpec } from '../../model/spec/load';
import type { CoverageObservations } from '../coverage/record';
import { buildCoverage, type CoverageReport, writeCoverage } from '../coverage/report';
import { groupDefects, groupRefusals, type Occurrence, suiteErrors, type Verdicts, writeVerdicts } from './defects';
import type { TestOutcome } from './outcome';
import type { Unjudged } from '../calibrate/unjudged';
import { buildDriftReport, type DriftReport, writeDriftReport } from './drift';

/**
 * The run-wide reports (drift, coverage, defects) are computed from what every worker observed,
 * never from one shard's summary. Each shard keeps those observations in its Allure results
 * directory, so merging shards recomputes the reports from all of them: the merged report is
 * the unsharded run's.
 */

/** What a run's drift and coverage are computed from, and against which spec and contracts. */
export interface RunInputs {
  spec: string;
  contracts?: string;
  profile: string;
  observations: Observations[];
  coverage: CoverageObservations[];
}

export interface TestOccurrences {
  test: string;
  failed: boolean;
  occurrences: Occurrence[];
  /** What went wrong that is not a defect: a refused setup, errors of the suite. */
  outcome?: TestOutcome;
}

const INPUTS = /^polytomic-(run|defects)-.*\.json$/;
const fileName = (kind: 'run' | 'defects', runId: string, shard: string) => `polytomic-${kind}-${runId}-${shard}.json`;

/** Names a shard in file names (`2of4`), or the unsharded run (`all`). */
export const shardName = (shard: { current: number; total: number } | null | undefined) => (shard ? `${shard.current}of${shard.total}` : 'all');

/** Is this file of an Allure results directory one of the run's kept observations? */
export const isInputsFile = (file: string) => INPUTS.test(file);


export function saveRunInputs(allureDir: string, runId: string, shard: string, inputs: RunInputs): void {
  mkdirSync(allureDir, { recursive: true });
  writeFileSync(join(allureDir, fileName('run', runId, shard)), JSON.stringify(inputs));
}

export function saveDefectInputs(allureDir: string, runId: string, shard: string, byTest: TestOccurrences[]): void {
  mkdirSync(allureDir, { recursive: true });
  writeFileSync(join(allureDir, fileName('defects', runId, shard)), JSON.stringify(byTest));
}

/** Drift and coverage of one run's (or several shards') observations, written to reports/ and Allure. */
export function writeRunReports(inputs: RunInputs[], reportsDir: string, allureDir: string): { drift: DriftReport; coverage: CoverageReport } {
  const { spec: specPath, contracts: contractsDir, profile } = inputs[0];
  const spec = loadSpec(specPath);
  const contracts = loadContracts(contractsDir, profile);
  const observations = inputs.flatMap((i) => i.observations);
  const drift = buildDriftReport(spec, contracts.baseline, observations);
  writeDriftReport(drift, reportsDir, allureDir);
  const coverage = buildCoverage(spec, contracts.profile, inputs.flatMap((i) => i.coverage), observations);
  writeCoverage(coverage, spec, reportsDir, allureDir);
  return { drift, coverage };
}

/** The run's defects, refused setups and suite errors, from every test's, written to reports/ and Allure. */
export function writeVerdictReports(byTest: TestOccurrences[], reportsDir: string, allureDir: string, run?: string, rulesUnjudged?: Unjudged): Verdicts {
  const verdicts = { ...(run ? { run } : {}), ...(rulesUnjudged ? { unjudged: rulesUnjudged } : {}), defects: groupDefects(byTest), refusals: groupRefusals(byTest), errors: suiteErrors(byTest) };
  writeVerdicts(verdicts, reportsDir, allureDir);
  return verdicts;
}

/** The observations kept in these results directories. */
export function readInputs(dirs: string[]): { runs: RunInputs[]; tests: TestOccurrences[]; found: boolean } {
  const runs: RunInputs[] = [];
  const tests: TestOccurrences[] = [];
  let found = false;
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter(isInputsFile)) {
      found = true;
      const body = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (f.startsWith('polytomic-run-')) runs.push(body as RunInputs);
      else tests.push(...(body as TestOccurrences[]));
    }
  }
  return { runs, tests, found };
}
