import { compressPath } from '../../src/model/replay-path';
import { expect, test } from '@playwright/test';
import { operationProperty } from '../../src/run/properties/operation';
import { checkProperty, type PropertyOutcome } from '../../src/run/properties/runner';
import { membershipOf, modelCommands, runModel } from '../../src/run/workflows/model';
import { replayCommand } from '../../src/run/report/failure';
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

test('a model failure replays exactly: its seed, its path and the command sequence\'s own replay path', async () => {
  const run = async (replay?: { path?: string; commands?: string }) => {
    let outcome: PropertyOutcome | undefined;
    await runAgainstMock({ faults: ['update_hits_newest_user'] }, async (env) => {
      outcome = await checkProperty(env, modelCommands(10, replay?.commands), (cmds, e) => runModel(e, membershipOf(e.target.spec)!, cmds), { seed: 7, numRuns: 50, path: replay?.path, grep: 'model' });
    });
    return outcome!;
  };
  const found = await run();
  const failure = found.failure!;
  expect(failure.recorded.flatMap((r) => r.findings.map((f) => f.check))).toContain('model_conformance');
  expect(failure.replay.commands).toMatch(/^[\w:+/=-]+$/);
  expect(replayCommand(failure.replay)).toContain(`CONFORMANCE_PATH=${compressPath(failure.replay.path!)} CONFORMANCE_COMMANDS_PATH=${failure.replay.commands} `);
  const again = await run(failure.replay);
  expect(again.runs).toBe(1);
  expect(again.failure?.counterexample).toBe(failure.counterexample);
});
