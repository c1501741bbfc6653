import { test as base, type TestDetails, type TestInfo } from '@playwright/test';
import * as allure from 'allure-js-commons';
import { getCheck } from '../checks/registry';
import type { Intent } from '../checks/types';
import { secrets } from '../target/redact';
import type { PropertyOutcome } from './properties/runner';
import { DEFECTS_ATTACHMENT, defectKey, occurrences } from './report/defects';
import { attachFailure, formatFailure, replayCommand, type ReplayInfo } from './report/failure';
import type { SuiteEnv } from './env';
import type { Operation } from '../model/spec/load';
import { World } from './generation/world';
import { isExploration, requestsOf, testKind, testTimeoutMs } from './coordinator';
import { judgedSandbox } from './judged-sandbox';
import { buildRequest, type RequestParts, type Route } from '../target/target';
import type { Recorded } from '../checks/types';
import { openSession, perform, type Session } from './session';

const SEVERITY_RANK = ['blocker', 'critical', 'normal', 'minor'] as const;

/**
 * Collects every exchange a test makes and fails the test, at its end, with each finding: check
 * id, minimal request, curl line and replay command. Tests never forget to assert: the fixture
 * does it for them.
 */
export class Verdict {
  /** Every exchange, judged at the end: workflow checks may add findings after the fact. */
  private readonly judged: { rec: Recorded; replay?: ReplayInfo }[] = [];
  /** Failures that are not about one exchange (a property that threw). */
  private readonly errors: string[] = [];

  constructor(
    readonly target: Session,
    private readonly testInfo: TestInfo,
  ) {}

  async send(route: Operation | Route, parts: RequestParts, intent: Intent): Promise<Recorded> {
    return this.judge(await perform(this.target, route, buildRequest(this.target, route, parts), intent));
  }

  /** Judges an exchange made elsewhere (raw method probes, property loops). */
  judge(rec: Recorded, replay?: ReplayInfo): Recorded {
    this.judged.push({ rec, replay });
    return rec;
  }

  /** Judges a property's outcome: only the shrunk counterexample's exchanges are reported. */
  async property(outcome: PropertyOutcome): Promise<void> {
    if (outcome.stopped) this.testInfo.annotations.push({ type: 'budget', description: `stopped after ${outcome.runs} runs: ${outcome.stopped}` });
    if (!outcome.failure) return;
    const { recorded, replay, counterexample, error } = outcome.failure;
    await this.testInfo.attach('counterexample', { body: secrets.redactText(counterexample), contentType: 'text/plain' });
    const failing = recorded.filter((r) => r.findings.length > 0);
    for (const rec of failing) this.judge(rec, replay);
    if (!failing.length) this.errors.push(`property failed: ${secrets.redactText(error ?? 'no finding')}\n  counterexample: ${secrets.redactText(counterexample)}\n  replay: ${replayCommand(replay)}`);
  }

  /**
   * Fails the test for the defects its own requests showed; records, for the reporters, those
   * and the ones met while setting up for it (which fail the run, once each, not this test).
   */
  async conclude(setup: Recorded[]): Promise<void> {
    const failures = this.judged.filter((f) => f.rec.findings.length > 0);
    const met = setup.filter((rec) => rec.findings.length > 0);
    const found = [...failures.flatMap((f) => occurrences(this.target, f.rec, true, f.replay)), ...met.flatMap((rec) => occurrences(this.target, rec, false))];
    if (found.length) await this.testInfo.attach(DEFECTS_ATTACHMENT, { body: JSON.stringify(found), contentType: 'application/json' });
    for (const key of new Set(met.flatMap((rec) => rec.findings.map(defectKey)))) this.testInfo.annotations.push({ type: 'defect met in setup', description: key });
    if (!failures.length && !this.errors.length) return;
    const checks = [...new Set(failures.flatMap((f) => f.rec.findings.map((x) => x.check)))];
    for (const id of checks) await allure.story(id);
    const worst = checks.map((id) => getCheck(id).severity).sort((a, b) => SEVERITY_RANK.indexOf(a) - SEVERITY_RANK.indexOf(b))[0];
    if (worst) await allure.severity(worst);
    // One example per defect keeps the report readable; the count says how many more there were.
    const shown = new Map<string, { rec: Recorded; replay?: ReplayInfo; count: number }>();
    for (const f of failures) {
      const key = f.rec.findings.map(defectKey).join(',');
      const s = shown.get(key);
      if (s) s.count++;
      else shown.set(key, { ...f, count: 1 });
    }
    const parts: string[] = [];
    for (const s of shown.values()) {
      await attachFailure(this.testInfo, this.target, s.rec, s.replay);
      parts.push(formatFailure(this.target, s.rec, s.replay) + (s.count > 1 ? `\n  (and ${s.count - 1} more requests failing the same way)` : ''));
    }
    throw new Error([`contract broken: ${checks.join(', ') || 'property error'}`, ...parts, ...this.errors].join('\n\n'));
  }
}

/** What a conformance test works with: the suite environment, plus the verdict that judges it. */
export interface TestEnv extends SuiteEnv {
  verdict: Verdict;
  /** The same environment, but `send` only records: a property judges its runs itself (see `Verdict.property`). */
  recording: SuiteEnv;
}

/**
 * One test-scoped fixture holds the whole environment (sandbox, world, verdict): Playwright
 * records each fixture's setup and teardown as a step with a source-mapped stack, and one
 * fixture instead of six took a third off the workers' CPU time.
 */
export const test = base.extend<{ env: TestEnv }, { target: Session }>({
  target: [
    async ({}, use, workerInfo) => {
      const target = openSession(String(workerInfo.workerIndex));
      await use(target);
      target.drift.flush(target.config.runId, String(workerInfo.workerIndex), target.client.requestsSent);
      target.coverage.flush(target.config.runId, String(workerInfo.workerIndex));
      target.client.close();
      target.coordinator?.close();
    },
    { scope: 'worker' },
  ],
  env: async ({ target }, use, testInfo) => {
    // Under a request budget, a test runs only if the budget can pay for it, and explores as much as it can pay for.
    const kind = testKind(testInfo.file);
    // A request the budget refuses skips the test, saying why; exploration stops instead, keeping what it found.
    const skip = isExploration(kind) ? undefined : (reason: string) => testInfo.skip(true, `CONFORMANCE_BUDGET: ${reason}`);
    const allowance = target.coordinator ? await target.coordinator.start(kind, skip) : { run: true };
    testInfo.skip(!allowance.run, "CONFORMANCE_BUDGET: the run's request budget is spent");
    testInfo.setTimeout(testTimeoutMs(requestsOf(kind, target.config, allowance.requests), target.coordinator?.secondsPerRequest ?? 0));
    const { sb, setup } = judgedSandbox(target, String(testInfo.workerIndex));
    target.coverage.breakFlow();
    const verdict = new Verdict(target, testInfo);
    try {
      // Instances are made on first use: a test that needs no organization creates none. Each test
      // makes its own, so that its requests and verdicts do not depend on the tests before it.
      const world = new World(sb, target);
      const recording: SuiteEnv = { target, sb, world, send: (route, parts, intent) => perform(target, route, buildRequest(target, route, parts), intent) };
      await use({ ...recording, send: (route, parts, intent) => verdict.send(route, parts, intent), verdict, recording });
      await verdict.conclude(setup);
    } finally {
      await sb.dispose();
      await target.coordinator?.end(kind);
    }
  },
});

export { expect } from '@playwright/test';

/**
 * Report labels for an operation's tests (epic = API area, feature = operation), fixed where the
 * test is declared: set at run time, each label cost allure-playwright an attachment file.
 */
export function aboutOperation(op: Operation): TestDetails {
  return { annotation: [{ type: 'allure.label.epic', description: op.area }, { type: 'allure.label.feature', description: op.id }] };
}

/**
 * In a read-only run (POLYTOMIC_READ_ONLY=1) only GET operations run, on instances the target
 * already holds: skipped before any fixture creates anything.
 */
export function readOnlyGuard(op: Operation): void {
  if (op.method !== 'get') test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: this operation changes state');
}
