import type { Spec } from '../../model/spec/load';
import { resourcesOf } from '../../model/spec/resources';
import type { MockOptions } from '../embedded';
import { EXAMPLE_SUITES } from '../suites/examples';
import type { Scenario } from '../env';
import { idempotencyScopeAndMethods } from '../workflows/idempotency';
import type { HarnessOptions } from './harness';
import { wholeSuite } from './suite';

interface FaultSetup {
  mock?: Omit<MockOptions, 'faults' | 'port'>;
  env?: Record<string, string>;
  scenario?: Scenario;
}

/** The list of the spec's first top-level resource (the organization list). */
const topList = (spec: Spec) => [...resourcesOf(spec).byKind.values()].find((r) => !r.within)!.routes[0].list;

/** A burst past the mock's rate limit: the client waits each 429 out, and its answers are judged. */
const RATE_LIMIT_BURST: FaultSetup = {
  mock: { rateLimit: { rps: 5, burst: 5 } },
  scenario: async (env) => {
    const op = topList(env.target.spec);
    for (let i = 0; i < 8; i++) await env.send(op, { credential: env.target.own }, { kind: 'positive' });
  },
};

/** Faults that only show under a mock mode, and the scenario that exercises them quickly. */
const SETUP: Record<string, FaultSetup> = {
  // Latency faults slow every request down: they get the scenario that shows them, not the whole suite.
  slow_list_orgs: { mock: { faultDelayMs: 400 }, env: { CONFORMANCE_MAX_RESPONSE_MS: '250' }, scenario: (env) => EXAMPLE_SUITES.valid(topList(env.target.spec), env) },
  idempotency_in_flight_processed: { mock: { latencyMs: 100 }, scenario: idempotencyScopeAndMethods },
  rate_limit_without_retry_after: RATE_LIMIT_BURST,
  rate_limit_503: RATE_LIMIT_BURST,
};

/** How the self-check exposes one mock fault: harness options and the scenario to run. */
export function faultRun(fault: string): { opts: HarnessOptions; scenario: Scenario } {
  const setup = SETUP[fault] ?? {};
  return { opts: { faults: [fault], mock: setup.mock, env: setup.env }, scenario: setup.scenario ?? ((env) => wholeSuite(env)) };
}
