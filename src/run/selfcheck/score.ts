import type { Fault } from '../embedded';
import { type HarnessResult, runAgainstMock } from './harness';
import { faultRun } from './scenarios';
import { wholeSuite } from './suite';

export interface FaultRow {
  fault: string;
  category: string;
  rule: string;
  /** The check meant to catch it. */
  expected: string;
  /** The checks that fired. */
  caught: string[];
}

/** The clean mock passes only when no check found anything and every step of the suite ran. */
export function cleanPassed(clean: HarnessResult): boolean {
  return clean.findings.length === 0 && clean.stepErrors.length === 0 && !clean.setupError;
}

/** The whole suite against the clean mock, within `budget` requests if given. */
export function runClean(budget?: number): Promise<HarnessResult> {
  return runAgainstMock({ budget }, (env) => wholeSuite(env));
}

/** Each fault against the suite (within `budget` requests each, if given): which checks caught it. */
export async function scoreFaults(faults: readonly Fault[], budget?: number, each?: (row: FaultRow) => void): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  for (const fault of faults) {
    const { opts, scenario } = faultRun(fault.name);
    const r = await runAgainstMock({ ...opts, budget }, scenario);
    const row = { fault: fault.name, category: fault.category, rule: fault.rule, expected: fault.catches, caught: [...r.failedChecks].sort() };
    rows.push(row);
    each?.(row);
  }
  return rows;
}
