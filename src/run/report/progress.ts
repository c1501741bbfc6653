import type { FullConfig, Reporter, Suite, TestCase, TestError } from '@playwright/test/reporter';

/**
 * What `npm run conformance` shows while it runs: one line of progress (rewritten in place on a
 * terminal, a line every tenth of the run in a log), never a failure's details: those are the
 * run's defects, which the summary leads with, and the reports hold every test's evidence. Pass
 * `--reporter=list` for Playwright's line per test.
 */
export default class Progress implements Reporter {
  private total = 0;
  private done = 0;
  private readonly counts = { passed: 0, failed: 0, skipped: 0 };
  private shownAt = 0;
  private readonly tty = !!process.stdout.isTTY;

  onBegin(config: FullConfig, suite: Suite): void {
    this.total = suite.allTests().length;
    process.stdout.write(`running ${this.total} tests with ${config.workers} worker${config.workers === 1 ? '' : 's'}\n`);
  }

  onTestEnd(test: TestCase): void {
    const outcome = test.outcome();
    if (outcome === 'unexpected' && test.results.length <= test.retries) return;
    this.done++;
    if (outcome === 'skipped') this.counts.skipped++;
    else if (outcome === 'unexpected') this.counts.failed++;
    else this.counts.passed++;
    const line = `[${String(this.done).padStart(String(this.total).length)}/${this.total}] ${this.counts.passed} passed, ${this.counts.failed} failed, ${this.counts.skipped} skipped`;
    if (this.tty) process.stdout.write(`\r${line}  ${test.titlePath().slice(3, 4).join('').slice(0, 40).padEnd(40)}`);
    else if (this.done === this.total || this.done - this.shownAt >= Math.max(1, Math.ceil(this.total / 10))) {
      this.shownAt = this.done;
      process.stdout.write(`${line}\n`);
    }
  }

  /** An error outside any test (a file that does not load, a failed global setup): no other reporter here prints it. */
  onError(error: TestError): void {
    process.stderr.write(`${error.stack ?? error.message ?? error.value}\n`);
  }

  onEnd(): void {
    if (this.tty && this.done) process.stdout.write('\n');
  }

  printsToStdio(): boolean {
    return true;
  }
}
