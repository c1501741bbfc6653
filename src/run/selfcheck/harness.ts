import { randomBytes } from 'node:crypto';
import type { Finding, Recorded } from '../../checks/types';
import type { ChecksConfig } from '../../model/contracts';
import { SetupError } from '../../target/sandbox';
import { removeLedgers } from '../../target/ledger';
import { buildRequest } from '../../target/target';
import { type MockOptions, type MockSnapshot, startEmbeddedMock } from '../embedded';
import { type Scenario, stepErrorsOf } from '../env';
import { suiteEnv } from '../judged-sandbox';
import { openSession, perform } from '../session';
import { Budget, InProcessGate } from '../coordinator';

export interface HarnessOptions {
  /** Mock faults to start with; none = the clean mock. */
  faults?: string[];
  mock?: Omit<MockOptions, 'faults' | 'port'>;
  /** Extra CONFORMANCE_* settings for the run (e.g. a response-time budget). */
  env?: Record<string, string>;
  /** Something put between the suite and the mock (a validating proxy): given the mock's URL, its own. */
  via?: (mockUrl: string) => Promise<{ url: string; close(): Promise<void> }>;
  /** A request budget for the run, spent as a conformance run spends CONFORMANCE_BUDGET. */
  budget?: number;
  /** Strictness per check, laid over the configuration's (`checks` of conformance.config.ts). */
  checks?: ChecksConfig;
}

export interface HarnessResult {
  findings: Finding[];
  recorded: Recorded[];
  /** Check ids that reported at least one finding. */
  failedChecks: Set<string>;
  /** Set when the fault broke the world the scenario needs; findings so far are still returned. */
  setupError?: string;
  /** Steps of the scenario that threw (a scenario returns them rather than stopping at the first). */
  stepErrors: string[];
  /** The mock's state before and after: what was there before the run must be as it was. */
  snapshots: { before: MockSnapshot; after: MockSnapshot };
}

/**
 * Runs a scenario with the very engine the conformance run uses (target, sandbox, checks) against
 * an embedded mock started for it, and returns every finding. This is how the self-tests and
 * `npm run selfcheck` prove each check fires on its fault and stays quiet on the clean mock.
 */
export async function runAgainstMock(opts: HarnessOptions, scenario: Scenario): Promise<HarnessResult> {
  const { mock, env: mockEnv } = await startEmbeddedMock({ ...opts.mock, faults: opts.faults ?? [] });
  const before = mock.snapshot();
  const layer = await opts.via?.(mock.url).catch(async (e) => {
    await mock.close();
    throw e;
  });
  const gate = opts.budget === undefined ? undefined : new InProcessGate(new Budget(0, opts.budget));
  const target = openSession('selftest', { ...mockEnv, POLYTOMIC_BASE_URL: layer?.url ?? mock.url, CONFORMANCE_RUN_ID: `st-${randomBytes(3).toString('hex')}`, ...opts.env }, gate);
  if (opts.checks) Object.assign(target.ctx.config.checks, opts.checks);
  const recorded: Recorded[] = [];
  const { env, setup } = suiteEnv(target, 'st', async (route, parts, intent) => {
    const rec = await perform(target, route, buildRequest(target, route, parts), intent);
    recorded.push(rec);
    return rec;
  });
  const { sb } = env;
  let setupError: string | undefined;
  let stepErrors: string[] = [];
  let after = before;
  try {
    stepErrors = stepErrorsOf(await scenario(env));
    await sb.dispose();
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    setupError = e.message;
  } finally {
    target.client.close();
    await layer?.close();
    after = mock.snapshot();
    await mock.close();
    // The mock took everything on it with it: its ledgers record nothing left to clean.
    removeLedgers(target.config.runId);
  }
  const all = [...setup, ...recorded];
  const findings = all.flatMap((r) => r.findings);
  return { findings, recorded: all, failedChecks: new Set(findings.map((f) => f.check)), setupError, stepErrors, snapshots: { before, after } };
}
