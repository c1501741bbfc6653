import { stripVTControlCharacters } from 'node:util';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface Failure {
  title: string;
  checks: string[];
  first: string;
  replay?: string;
}

/** The first describe title names the area (`Partner users › users_get` -> `Partner users`). */
function areaOf(test: TestCase): string {
  const path = test.titlePath().slice(3);
  return (path.length > 1 ? path[0] : path[0] ?? '').split(' › ')[0] || 'other';
}

/**
 * One screen at the end of a conformance run: tests passed and failed per area, the failing check
 * ids, the top failures with their replay commands, and where the report is.
 */
export default class TerminalSummary implements Reporter {
  private readonly areas = new Map<string, { passed: number; failed: number; skipped: number; checks: Set<string> }>();
  private readonly failures: Failure[] = [];

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
      const checks = [...new Set([...message.matchAll(/^\[([a-z_]+)\]/gm)].map((m) => m[1]))];
      for (const c of checks) a.checks.add(c);
      const first = message.split('\n').find((l) => l.startsWith('[')) ?? message.split('\n')[0];
      const replay = /replay:\s+(.*)$/m.exec(message)?.[1];
      this.failures.push({ title: test.titlePath().slice(3).join(' › '), checks, first, replay });
    } else a.passed++;
  }

  onEnd(_result: FullResult): void {
    if (!this.areas.size) return;
    const out: string[] = ['', 'Conformance summary', ''];
    const width = Math.max(...[...this.areas.keys()].map((k) => k.length), 4);
    out.push(`  ${'area'.padEnd(width)}  passed  failed  skipped  failing checks`);
    for (const [area, a] of [...this.areas].sort()) {
      out.push(`  ${area.padEnd(width)}  ${String(a.passed).padStart(6)}  ${String(a.failed).padStart(6)}  ${String(a.skipped).padStart(7)}  ${[...a.checks].join(', ')}`);
    }
    if (this.failures.length) {
      out.push('', `Top failures (${Math.min(5, this.failures.length)} of ${this.failures.length}):`);
      for (const f of this.failures.slice(0, 5)) {
        out.push(`  ✗ ${f.title}`, `      ${f.first.slice(0, 160)}`);
        if (f.replay) out.push(`      replay: ${f.replay}`);
      }
    }
    out.push('', 'Report: npm run report (reports/allure-report/index.html), JUnit: reports/junit.xml, drift: reports/drift.md', '');
    process.stdout.write(out.join('\n'));
  }

  printsToStdio(): boolean {
    return false;
  }
}
