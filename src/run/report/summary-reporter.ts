import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { leftovers, stop } from '../processes';
import { groupDefects, type Occurrence, occurrencesIn } from './defects';

/**
 * Prints the plain closing line CI reads: `N passed, N failed[, N skipped]`.
 * Counts each test once, by its final outcome (flaky counts as passed), as the Allure report and
 * JUnit count them; defects met only while setting up for tests failed no test, and fail the run:
 * the line says how many. Under
 * `npm test`, a process the tests started and left running (it carries SELFTEST_MARK) is stopped,
 * named with the ports it listened on, and counts as one failure more.
 */
export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, ReturnType<TestCase['outcome']>>();
  private readonly byTest: { test: string; failed: boolean; occurrences: Occurrence[] }[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcome.set(test.id, test.outcome());
    if (test.parent.project()?.name === 'conformance') this.byTest.push({ test: test.id, failed: test.outcome() === 'unexpected', occurrences: occurrencesIn(result.attachments) });
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const o of this.outcome.values()) {
      if (o === 'expected' || o === 'flaky') passed++;
      else if (o === 'skipped') skipped++;
      else failed++;
    }
    const setupOnly = groupDefects(this.byTest).filter((d) => d.failedTests === 0).length;
    const mark = process.env.SELFTEST_MARK;
    // Only the run npm test started (its child) looks: a run a test starts inherits the mark too.
    const left = mark && process.env.SELFTEST_PARENT === String(process.ppid) ? leftovers(`SELFTEST_MARK=${mark}`) : [];
    if (left.length) {
      stop(left.map((l) => l.pid));
      for (const l of left) process.stdout.write(`\na test left process ${l.pid} running${l.ports.length ? `, listening on ${l.ports.join(', ')}` : ''} (${l.command}); stopped it\n`);
      failed += left.length;
    }
    // A run that failed outside any test (global setup, a broken config) still counts as a failure.
    if (result.status !== 'passed' && failed === 0 && !setupOnly && result.status !== 'interrupted') failed = 1;
    const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${setupOnly ? `; ${setupOnly} defect${setupOnly === 1 ? ' met only in setup fails' : 's met only in setup fail'} the run` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
