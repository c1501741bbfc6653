import { basename } from 'node:path';
import { readConfig } from '../../model/config';
import { loadContracts } from '../../model/contracts';
import { loadSpec } from '../../model/spec/load';
import { unjudged } from '../calibrate/unjudged';
import { stripVTControlCharacters } from 'node:util';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { currentCoordinator, testKind } from '../coordinator';
import { occurrencesIn, verdictText } from './defects';
import { saveDefectInputs, shardName, type TestOccurrences, writeVerdictReports } from './derived';
import { outcomeIn } from './outcome';
import { currentRun, shown } from './paths';

/** The first describe title names the area (`<area> › <operation id>` -> `<area>`). */
function areaOf(test: TestCase): string {
  const path = test.titlePath().slice(3);
  return (path.length > 1 ? path[0] : path[0] ?? '').split(' › ')[0] || 'other';
}

/**
 * One screen at the end of a conformance run, leading with the distinct defects found (each broken
 * rule once, with how often, where, in which tests, and how to reproduce it), then tests per area.
 * Defects go to reports/defects.md and .json and to the Allure report's "Defects" suite; one met
 * only while setting up for tests still fails the run.
 */
export default class TerminalSummary implements Reporter {
  private readonly areas = new Map<string, { passed: number; failed: number; skipped: number; checks: Set<string> }>();
  private readonly byTest: TestOccurrences[] = [];
  private shard = 'all';

  onBegin(config: FullConfig, suite: Suite): void {
    this.shard = shardName(config.shard);
    // A request budget is shared out knowing how many tests of each kind are to come.
    const counts: Record<string, number> = {};
    for (const t of suite.allTests()) if (t.parent.project()?.name === 'conformance') counts[testKind(t.location.file)] = (counts[testKind(t.location.file)] ?? 0) + 1;
    currentCoordinator()?.plan(counts);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // The summary speaks of the target; the suite's own self-tests have the plain line.
    if (test.parent.project()?.name !== 'conformance') return;
    if (result.retry < test.retries && result.status !== 'passed') return;
    const area = areaOf(test);
    const a = this.areas.get(area) ?? { passed: 0, failed: 0, skipped: 0, checks: new Set<string>() };
    this.areas.set(area, a);
    const outcome = test.outcome();
    if (outcome === 'skipped') a.skipped++;
    else if (outcome === 'unexpected') {
      a.failed++;
      const message = stripVTControlCharacters(result.errors.map((e) => e.message ?? '').join('\n'));
      for (const m of message.matchAll(/^\[([a-z_]+)\]/gm)) a.checks.add(m[1]);
    } else a.passed++;
    const occurrences = occurrencesIn(result.attachments);
    let said = outcomeIn(result.attachments);
    // A test that failed with neither a defect of its own nor a word on why (a timeout, a crash) is the suite's.
    if (outcome === 'unexpected' && !said && !occurrences.some((o) => o.own)) said = { errors: [`failed without a verdict: ${stripVTControlCharacters(result.errors[0]?.message ?? result.status).split('\n')[0]}`] };
    this.byTest.push({ test: test.titlePath().slice(3).join(' › '), failed: outcome === 'unexpected', occurrences, ...(said ? { outcome: said } : {}) });
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    if (!this.areas.size) return undefined;
    const run = currentRun();
    // Kept with the results, so that merging shards recomputes the defects from every shard's tests.
    if (process.env.CONFORMANCE_RUN_ID) saveDefectInputs(run.results, process.env.CONFORMANCE_RUN_ID, this.shard, this.byTest);
    const cfg = readConfig();
    const verdicts = writeVerdictReports(this.byTest, run.dir, run.results, basename(run.dir), unjudged(loadContracts(cfg.contractsDir, cfg.profileName), loadSpec(cfg.specPath)));
    const out: string[] = ['', 'Conformance summary', '', ...verdictText(verdicts), ''];
    const width = Math.max(...[...this.areas.keys()].map((k) => k.length), 4);
    out.push(`  ${'area'.padEnd(width)}  passed  failed  skipped  failing checks`);
    for (const [area, a] of [...this.areas].sort()) {
      out.push(`  ${area.padEnd(width)}  ${String(a.passed).padStart(6)}  ${String(a.failed).padStart(6)}  ${String(a.skipped).padStart(7)}  ${[...a.checks].join(', ')}`);
    }
    const at = shown(run.dir);
    out.push('', `This run's directory: ${at}/ (defects.md, junit.xml, drift.md, coverage.md; the Allure report, allure-report/index.html, once rendered)`, '');
    process.stdout.write(out.join('\n'));
    // A defect met only in setup failed no test, and still fails the run.
    return verdicts.defects.length && result.status === 'passed' ? { status: 'failed' } : undefined;
  }

  printsToStdio(): boolean {
    return false;
  }
}
