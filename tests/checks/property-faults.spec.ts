import { expect, test } from '@playwright/test';
import { operationProperty } from '../../src/run/properties/operation';
import type { PropertyOutcome } from '../../src/run/properties/runner';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import type { Mode } from '../../src/run/generation/requests';
import type { Node } from '../../src/model/spec/pointer';

/**
 * Faults only property-based exploration finds: the run fails with the right check id, the
 * counterexample is shrunk, and replaying its seed and path reproduces exactly that failure.
 */
async function explore(fault: string, opId: string, mode: Mode, path?: string): Promise<PropertyOutcome> {
  let outcome: PropertyOutcome | undefined;
  await runAgainstMock({ faults: [fault] }, async (env) => {
    outcome = await operationProperty(env, env.target.spec.byId.get(opId)!, mode, { seed: 424242, numRuns: 200, path, grep: opId });
  });
  return outcome!;
}

const CASES: { fault: string; op: string; mode: Mode; check: string; shrunk: (body: Node) => void }[] = [
  {
    fault: 'server_error_on_plus_email',
    op: 'users_create',
    mode: 'positive',
    check: 'not_a_server_error',
    // Shrunk to the smallest email with a + tag and nothing else in the body.
    shrunk: (body) => {
      expect(Object.keys(body)).toEqual(['email']);
      expect(body.email).toMatch(/^[a-z0-9]+\+[a-z0-9]+@/);
      expect(body.email.length).toBeLessThanOrEqual(12);
    },
  },
  {
    fault: 'accepts_non_uuid_role_id',
    op: 'users_create',
    mode: 'negative',
    check: 'negative_data_rejection',
    shrunk: (body) => {
      expect(body.role_ids).toHaveLength(1);
      expect(body.role_ids[0]).not.toMatch(/^[0-9a-f-]{36}$/);
    },
  },
];

for (const c of CASES) {
  test(`${c.fault}: ${c.mode} exploration of ${c.op} fails with ${c.check}, shrunk and replayable`, async () => {
    const outcome = await explore(c.fault, c.op, c.mode);
    const failure = outcome.failure!;
    expect(failure, 'the property should fail').toBeDefined();
    const checks = failure.recorded.flatMap((r) => r.findings.map((f) => f.check));
    expect(checks).toContain(c.check);
    c.shrunk(JSON.parse(failure.counterexample)[0].body);
    expect(failure.replay.path).toBeTruthy();

    const replay = await explore(c.fault, c.op, c.mode, failure.replay.path);
    expect(replay.runs).toBe(1);
    expect(replay.failure?.counterexample).toBe(failure.counterexample);
  });

  test(`${c.fault}: the same exploration passes on the clean mock`, async () => {
    let outcome: PropertyOutcome | undefined;
    await runAgainstMock({}, async (env) => {
      outcome = await operationProperty(env, env.target.spec.byId.get(c.op)!, c.mode, { seed: 424242, numRuns: 200, grep: c.op });
    });
    expect(outcome!.failure).toBeUndefined();
    expect(outcome!.runs).toBeGreaterThan(100);
  });
}
