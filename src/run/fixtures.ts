import { test as base, expect, type TestDetails, type TestInfo } from '@playwright/test';
import * as allure from 'allure-js-commons';
import { getCheck } from '../checks/registry';
import type { Intent } from '../checks/types';
import { secrets } from '../target/redact';
import type { PropertyOutcome } from './properties/runner';
import { DEFECTS_ATTACHMENT, defectKey, occurrences } from './report/defects';
import { attachFailure, formatFailure, grepFor, replayCommand, type ReplayInfo } from './report/failure';
import type { SuiteEnv } from './env';
import type { Operation } from '../model/spec/load';
import { isExploration, requestsOf, testKind, testTimeoutMs } from './coordinator';
import { suiteEnv } from './judged-sandbox';
import { buildRequest, type RequestParts, type Route } from '../target/target';
import type { Recorded } from '../checks/types';
import { openSession, perform, recordOf, type Session } from './session';
import { reproductionOf } from './reproduction';
import { messageOf } from '../model/errors';
import { RefusedSetup, SetupError } from '../target/sandbox';
import { toCurl } from '../target/redact';
import type { Mode } from './generation/requests';
import { replayRegression } from './properties/operation';
import { regressionsFor, saveRegression } from './properties/corpus';
import { OUTCOME_ATTACHMENT, type TestOutcome } from './report/outcome';
import { currentRun } from './report/paths';
import { type RunOptions, type Scenario, type ScenarioKind, scenarios } from './scenarios';
import { currentSpec } from './current';

const SEVERITY_RANK = ['blocker', 'critical', 'normal', 'minor'] as const;

/**
 * Collects every exchange a test makes and fails the test, at its end, saying which of three
 * things went wrong: a defect (a finding under its check: check id, minimal request, curl line
 * and replay command), a setup the target refused (with the exchange that refused it), or an
 * error of the suite. Tests never forget to assert: the fixture does it for them.
 */
export class Verdict {
  /** Every exchange, judged at the end: workflow checks may add findings after the fact. */
  private readonly judged: { rec: Recorded; replay?: ReplayInfo | string }[] = [];
  /** Failures of the suite: a scenario that threw, a property that failed with no finding. */
  private readonly errors: string[] = [];
  /** What the target refused the test's setup. */
  private refused?: RefusedSetup;

  constructor(
    readonly target: Session,
    private readonly testInfo: TestInfo,
    /** The environment that judges (for examples and workflows) and the one that only records (for properties). */
    private readonly envs: { judging: SuiteEnv; recording: SuiteEnv },
    /** The exchanges that set the test up (judged too: a defect met there fails the run, not the test). */
    private readonly setup: Recorded[],
  ) {}

  /** The command that runs this test again, for a defect with no replay of its own (a workflow's, one met in setup). */
  private get again(): string {
    return `npm run conformance -- -g ${JSON.stringify(grepFor(this.testInfo.titlePath.slice(1).join(' ')))}`;
  }

  /**
   * A step of the test: its requests run inside a Playwright step, which shows failed (naming the
   * checks) when an answer in it broke a rule; the test goes on.
   */
  async step<T>(title: string, body: () => Promise<T>): Promise<T> {
    let out: T | undefined;
    try {
      await base.step(title, async () => {
        const before = this.judged.length;
        out = await body();
        const broken = [...new Set(this.judged.slice(before).flatMap((j) => j.rec.findings.map((f) => f.check)))];
        // Thrown to mark the step failed, caught below: the test goes on, and fails once, at its verdict.
        if (broken.length) throw new BrokenStep(`an answer in this step broke ${broken.join(', ')}`);
      });
    } catch (e) {
      if (!(e instanceof BrokenStep)) throw e;
    }
    return out as T;
  }

  async send(route: Operation | Route, parts: RequestParts, intent: Intent): Promise<Recorded> {
    return this.judge(await perform(this.target, route, buildRequest(this.target, route, parts), intent));
  }

  /** Judges an exchange made elsewhere (raw method probes, property loops). */
  judge(rec: Recorded, replay?: ReplayInfo | string): Recorded {
    this.judged.push({ rec, replay });
    return rec;
  }

  /**
   * Runs a scenario and sorts what went wrong: findings are judged at the end; a refused setup
   * and an error of the suite are kept apart; what the spec or the run cannot set up (a read-only
   * run, a capability the spec does not describe) skips the test with the reason.
   */
  async conduct(scenario: Scenario, opts: RunOptions): Promise<void> {
    try {
      // A scenario without steps of its own is one: its failure shows on it.
      if (scenario.kind !== 'operations') return await this.step(scenario.title, () => this.run(scenario, opts));
      await this.run(scenario, opts);
    } catch (e) {
      if (this.testInfo.expectedStatus === 'skipped') throw e;
      if (e instanceof RefusedSetup) this.refused = e;
      else if (e instanceof SetupError) this.testInfo.skip(true, e.message);
      else this.errors.push(`${messageOf(e)}${e instanceof Error && e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}`);
    }
  }

  private async run(scenario: Scenario, opts: RunOptions): Promise<void> {
    if (scenario.kind === 'properties' && scenario.operation && scenario.mode && !this.target.config.replayPath) await this.replayCorpus(scenario.operation, scenario.mode, opts.grep);
    // A property judges its runs itself: only its shrunk counterexample reaches the verdict.
    const exploring = scenario.kind === 'properties' || scenario.kind === 'model';
    const outcome = await scenario.run(exploring ? this.envs.recording : this.envs.judging, opts);
    if (scenario.kind === 'properties' && !outcome) this.testInfo.skip(true, `${scenario.operation?.id} has no ${scenario.mode} inputs to generate`);
    if (outcome) await this.property(outcome, scenario.kind === 'properties');
  }

  /** Deletes what the test made, proving each gone by a read its checks judge; what the target refused is said as such. */
  async dispose(): Promise<void> {
    try {
      await this.envs.recording.sb.dispose();
    } catch (e) {
      if (e instanceof RefusedSetup) this.refused ??= e;
      else throw e;
    }
  }

  /** The regression corpus first: every failure found before is replayed, its stored request as it was. */
  private async replayCorpus(op: Operation, mode: Mode, grep: string): Promise<void> {
    for (const r of regressionsFor(grep)) {
      const { outcome, note } = await replayRegression(this.envs.recording, op, mode, r, grep);
      if (note) this.testInfo.annotations.push({ type: 'regression', description: note });
      if (outcome) await this.property(outcome, false);
    }
  }

  /** Judges a property's outcome: only the shrunk counterexample's exchanges are reported; one that fails alone is kept. */
  async property(outcome: PropertyOutcome, save: boolean): Promise<void> {
    if (outcome.stopped) this.testInfo.annotations.push({ type: 'budget', description: `stopped after ${outcome.runs} runs: ${outcome.stopped}` });
    if (!outcome.failure) return;
    const { recorded, replay, counterexample, error, alone, setupRefused } = outcome.failure;
    if (setupRefused) {
      this.refused = setupRefused;
      return;
    }
    await this.testInfo.attach('counterexample', { body: secrets.redactText(counterexample), contentType: 'text/plain' });
    const failing = recorded.filter((r) => r.findings.length > 0);
    // A failure that needs the runs before it has no replay command that replays it.
    if (!alone) this.testInfo.annotations.push({ type: 'not reproduced alone', description: `the shrunk counterexample passed when replayed alone, in an environment of its own: it failed only after earlier runs (seed ${replay.seed}); not saved to the regression corpus` });
    // Not alone, the property is replayed whole: the same seed makes the same runs before it.
    for (const rec of failing) this.judge(rec, alone ? replay : `CONFORMANCE_SEED=${replay.seed} ${this.again}`);
    if (!failing.length) this.errors.push(`property failed with no finding: ${secrets.redactText(error ?? 'no finding')}\n  counterexample: ${secrets.redactText(counterexample)}${alone ? `\n  replay: ${replayCommand(replay)}` : ''}`);
    // Saved beside the run's report; `npm run regressions -- promote` adds it to the corpus later runs replay.
    else if (save && alone) saveRegression(replay.grep, outcome, currentRun().regressions);
  }

  /**
   * Fails the test for the defects its own requests showed, the setup the target refused and the
   * suite's own errors, each said as such; records, for the reporters, the defects and the ones
   * met while setting up for it (which fail the run, once each, not this test) and the outcome.
   */
  async conclude(): Promise<void> {
    const failures = this.judged.filter((f) => f.rec.findings.length > 0);
    const met = this.setup.filter((rec) => rec.findings.length > 0);
    const reproduce = (rec: Recorded) => {
      const record = recordOf(rec.exchange);
      return record && reproductionOf(record, this.target.spec, rec.exchange, this.target.client.base.toString());
    };
    const found = [...failures.flatMap((f) => occurrences(this.target, f.rec, true, f.replay ?? this.again, reproduce(f.rec))), ...met.flatMap((rec) => occurrences(this.target, rec, false, this.again, reproduce(rec)))];
    if (found.length) await this.testInfo.attach(DEFECTS_ATTACHMENT, { body: JSON.stringify(found), contentType: 'application/json' });
    for (const key of new Set(met.flatMap((rec) => rec.findings.map(defectKey)))) this.testInfo.annotations.push({ type: 'defect met in setup', description: key });
    const refused = this.refused && refusalOf(this.target, this.refused);
    if (refused || this.errors.length) {
      const outcome: TestOutcome = { ...(refused ? { refused } : {}), errors: this.errors.map((e) => secrets.redactText(e)) };
      await this.testInfo.attach(OUTCOME_ATTACHMENT, { body: JSON.stringify(outcome), contentType: 'application/json' });
    }
    if (!failures.length && !refused && !this.errors.length) return;
    const checks = [...new Set(failures.flatMap((f) => f.rec.findings.map((x) => x.check)))];
    for (const id of checks) await allure.story(id);
    // The report's categories sort failed tests into the three kinds, defects by their rule (render.ts).
    for (const key of new Set(failures.flatMap((f) => f.rec.findings.map(defectKey)))) await allure.label('defect', key);
    await allure.label('outcome', failures.length ? 'defect' : refused ? 'refused' : 'suite error');
    const worst = checks.map((id) => getCheck(id).severity).sort((a, b) => SEVERITY_RANK.indexOf(a) - SEVERITY_RANK.indexOf(b))[0];
    if (worst) await allure.severity(worst);
    // One example per defect keeps the report readable; the count says how many more there were.
    const shown = new Map<string, { rec: Recorded; replay?: ReplayInfo | string; count: number }>();
    for (const f of failures) {
      const key = f.rec.findings.map(defectKey).join(',');
      const s = shown.get(key);
      if (s) s.count++;
      else shown.set(key, { ...f, count: 1 });
    }
    const parts: string[] = [];
    if (failures.length) parts.push(`contract broken: ${checks.join(', ')}`);
    for (const s of shown.values()) {
      await attachFailure(this.testInfo, this.target, s.rec, s.replay);
      parts.push(formatFailure(this.target, s.rec, s.replay) + (s.count > 1 ? `\n  (and ${s.count - 1} more requests failing the same way)` : ''));
    }
    if (refused) parts.push(`setup refused by the target: ${refused.message}${refused.request ? `\n  request:  ${refused.request}\n  curl:     ${refused.curl}` : ''}`);
    for (const e of this.errors) parts.push(`suite error (please report): ${secrets.redactText(e)}`);
    // A defect fails as an assertion (reports count it failed); a refused setup or the suite's error breaks the test.
    if (failures.length) expect(failures.length, parts.join('\n\n')).toBe(0);
    throw new Error(parts.join('\n\n'));
  }
}

/** A step whose answers broke a rule: shown failed; the verdict reports what. */
class BrokenStep extends Error {}

/** A refused setup as the reports show it: what was refused, and the exchange, redacted. */
function refusalOf(target: Session, e: RefusedSetup): NonNullable<TestOutcome['refused']> {
  const ex = e.exchange;
  if (!ex) return { message: secrets.redactText(e.message) };
  return { message: secrets.redactText(e.message), operation: ex.operation?.id ?? `${ex.request.method} ${ex.request.path}`, status: ex.response.status, request: secrets.redactText(`${ex.request.method} ${ex.request.path} -> ${ex.response.status}`), curl: toCurl(target.client.base, ex.request) };
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
    // Instances are made on first use: a test that needs no organization creates none. Each test
    // makes its own, so that its requests and verdicts do not depend on the tests before it.
    const { env: recording, setup } = suiteEnv(target, String(testInfo.workerIndex));
    target.coverage.breakFlow();
    let verdict: Verdict | undefined;
    const judging: SuiteEnv = { ...recording, send: (route, parts, intent) => verdict!.send(route, parts, intent) };
    verdict = new Verdict(target, testInfo, { judging, recording }, setup);
    try {
      await use({ ...judging, verdict, recording });
    } finally {
      // The test body cleans up and concludes; this is for one that timed out or was interrupted.
      await recording.sb.dispose().catch(() => undefined);
      await target.coordinator?.end(kind);
    }
  },
});


/**
 * Report labels for an operation's tests (epic = API area, feature = operation), fixed where the
 * test is declared: set at run time, each label cost allure-playwright an attachment file.
 */
export function aboutOperation(op: Operation): TestDetails {
  return { annotation: [{ type: 'allure.label.epic', description: op.area }, { type: 'allure.label.feature', description: op.id }] };
}

/** How a conformance test runs its scenario: the run's seed and sizes, its replay paths, its steps as Playwright steps. */
function runOptions(target: Session, verdict: Verdict, grep: string): RunOptions {
  const { seed, runs, model, replayPath, commandsPath } = target.config;
  return { seed, runs, model, path: replayPath, commandsPath, grep, step: (title, body) => verdict.step(title, body) };
}

/** The scenarios of a kind (src/run/scenarios.ts, the list the self-check runs too) that a conformance test file makes its tests of. */
export function scenariosOf(kind: ScenarioKind): Scenario[] {
  return scenarios(currentSpec()).filter((x) => x.kind === kind);
}

/** A scenario's test details: report labels for an operation's tests. */
export const detailsOf = (s: Scenario): TestDetails => (s.operation ? aboutOperation(s.operation) : {});

/** The body of a scenario's conformance test: skipped where it cannot run on the target, with the reason; judged by the verdict. */
export function conformanceBody(s: Scenario) {
  return async ({ env, target }: { env: TestEnv; target: Session }, testInfo: TestInfo): Promise<void> => {
    const why = s.skip?.(target);
    test.skip(why !== undefined, why);
    await env.verdict.conduct(s, runOptions(target, env.verdict, grepFor(testInfo.titlePath.slice(1).join(' '))));
    await base.step('clean up what it made, proving each gone', () => env.verdict.dispose());
    await base.step('verdict', () => env.verdict.conclude());
  };
}
