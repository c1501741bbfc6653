import { expect, test } from '@playwright/test';
import { regressionsFor, saveRegression } from '../../src/properties/corpus';
import { operationProperty } from '../../src/properties/operation';
import type { PropertyOutcome } from '../../src/properties/runner';
import { runAgainstMock } from '../../src/selfcheck/harness';

/** A found failure is saved under contracts/regressions and replays exactly from the corpus. */
test('a saved regression replays the same counterexample', async ({}, testInfo) => {
  const dir = testInfo.outputPath('regressions');
  const explore = async (opts: { path?: string; numRuns: number }) => {
    let outcome: PropertyOutcome | undefined;
    await runAgainstMock({ faults: ['server_error_on_plus_email'] }, async (env) => {
      outcome = await operationProperty(env, env.target.spec.byId.get('users_create')!, 'positive', { seed: 424242, grep: 'users_create', ...opts });
    });
    return outcome!;
  };
  const found = await explore({ numRuns: 100 });
  expect(saveRegression('Partner users › users_create positive', found, dir)).toMatch(/\.json$/);
  const [entry] = regressionsFor('Partner users › users_create positive', dir);
  expect(entry).toMatchObject({ seed: 424242, checks: expect.arrayContaining(['not_a_server_error']) });
  const replay = await explore({ path: entry.path, numRuns: 1 });
  expect(replay.runs).toBe(1);
  expect(replay.failure?.counterexample).toBe(entry.counterexample);
  expect(regressionsFor('another test', dir)).toEqual([]);
});
