import { _baseTest as base, type TestDetails, type TestInfo } from '@playwright/test';
import * as allure from 'allure-js-commons';
import { getCheck } from '../checks/registry';
import type { Intent } from '../checks/types';
import { secrets } from '../target/redact';
import type { PropertyOutcome } from './properties/runner';
import { attachFailure, formatFailure, replayCommand, type ReplayInfo } from './report/failure';
import type { SuiteEnv } from './env';
import type { Operation } from '../model/spec/load';
import { createWorld, discoverWorld, type Sandbox, type World } from '../target/sandbox';
import { type JudgedSandbox, judgedSandbox } from './judged-sandbox';
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
    if (!outcome.failure) return;
    const { recorded, replay, counterexample, error } = outcome.failure;
    await this.testInfo.attach('counterexample', { body: secrets.redactText(counterexample), contentType: 'text/plain' });
    const failing = recorded.filter((r) => r.findings.length > 0);
    for (const rec of failing) this.judge(rec, replay);
    if (!failing.length) this.errors.push(`property failed: ${secrets.redactText(error ?? 'no finding')}\n  counterexample: ${secrets.redactText(counterexample)}\n  replay: ${replayCommand(replay)}`);
  }

  async conclude(setup: Recorded[]): Promise<void> {
    const failures = [...this.judged, ...setup.map((rec) => ({ rec }))].filter((f) => f.rec.findings.length > 0);
    if (!failures.length && !this.errors.length) return;
    const checks = [...new Set(failures.flatMap((f) => f.rec.findings.map((x) => x.check)))];
    for (const id of checks) await allure.story(id);
    const worst = checks.map((id) => getCheck(id).severity).sort((a, b) => SEVERITY_RANK.indexOf(a) - SEVERITY_RANK.indexOf(b))[0];
    await allure.severity(worst);
    // One example per check keeps the report readable; the count says how many more there were.
    const shown = new Map<string, { rec: Recorded; replay?: ReplayInfo; count: number }>();
    for (const f of failures) {
      const key = f.rec.findings.map((x) => x.check).join(',');
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

export interface ConformanceFixtures {
  /** The test's sandbox and the setup traffic it sent (judged, but not the test's own requests). */
  judged: JudgedSandbox;
  sandbox: Sandbox;
  world: World;
  verdict: Verdict;
  /** The suite environment: sandbox, world, and a `send` the verdict judges. */
  env: SuiteEnv;
  /** Same, but `send` only records: a property judges its runs itself (see `Verdict.property`). */
  propertyEnv: SuiteEnv;
}

/**
 * Built on Playwright's root test type, without its browser fixtures: their per-test steps
 * ("trace recording", "context configuration") captured stacks that cost more worker CPU than
 * the suite's own work, and these tests never open a browser or a request context.
 */
export const test = base.extend<ConformanceFixtures, { target: Session }>({
  target: [
    async ({}, use, workerInfo) => {
      const target = openSession(String(workerInfo.workerIndex));
      await use(target);
      target.drift.flush(target.config.runId, String(workerInfo.workerIndex), target.client.requestsSent);
      target.client.close();
    },
    { scope: 'worker' },
  ],
  judged: async ({ target }, use, testInfo) => {
    const judged = judgedSandbox(target, String(testInfo.workerIndex));
    await use(judged);
    await judged.sb.dispose();
  },
  sandbox: async ({ judged }, use) => {
    await use(judged.sb);
  },
  world: async ({ sandbox, target }, use) => {
    await use(await (target.config.readOnly ? discoverWorld(sandbox) : createWorld(sandbox)));
  },
  verdict: async ({ target, judged }, use, testInfo) => {
    const v = new Verdict(target, testInfo);
    await use(v);
    await v.conclude(judged.setup);
  },
  env: async ({ target, sandbox, world, verdict }, use) => {
    await use({ target, sb: sandbox, world, send: (route, parts, intent) => verdict.send(route, parts, intent) });
  },
  propertyEnv: async ({ target, sandbox, world }, use) => {
    await use({ target, sb: sandbox, world, send: (route, parts, intent) => perform(target, route, buildRequest(target, route, parts), intent) });
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
 * In a read-only run (POLYTOMIC_READ_ONLY=1) only GET operations run, and current-org ones only
 * without path ids and with an organization key: skipped before any fixture creates anything.
 */
export function readOnlyGuard(op: Operation): void {
  if (op.method !== 'get') test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: this operation changes state');
  else if (!op.credentials.includes('partner')) {
    test.skip(({ target }) => target.config.readOnly && (!target.orgBasic || op.path.includes('{')), 'POLYTOMIC_READ_ONLY=1: needs POLYTOMIC_ORG_KEY and an id the run may not create');
  }
}
