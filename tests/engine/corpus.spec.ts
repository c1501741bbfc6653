import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Regression, regressionsFor, saveRegression } from '../../src/run/properties/corpus';
import { operationProperty, replayRegression } from '../../src/run/properties/operation';
import type { PropertyOutcome } from '../../src/run/properties/runner';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { grepFor } from '../../src/run/report/failure';

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

test('a replay sends the stored request itself, and says so when the spec no longer accepts it', async ({}, testInfo) => {
  const dir = testInfo.outputPath('regressions');
  let found: PropertyOutcome | undefined;
  await runAgainstMock({ faults: ['server_error_on_plus_email'] }, async (env) => {
    found = await operationProperty(env, env.target.spec.byId.get('users_create')!, 'positive', { seed: 424242, numRuns: 100, grep: 'users_create' });
  });
  saveRegression('users_create positive', found!, dir);
  const [entry] = regressionsFor('users_create positive', dir);
  expect((entry.request!.body as { email: string }).email).toContain('+');

  // Another spec (here: the same with the seed changed) would generate something else; the stored request is what is sent.
  const replay = async (r: Regression) => {
    const sent: unknown[] = [];
    let result: Awaited<ReturnType<typeof replayRegression>> | undefined;
    await runAgainstMock({ faults: ['server_error_on_plus_email'] }, async (env) => {
      const op = env.target.spec.byId.get('users_create')!;
      const spy = {
        ...env,
        send: async (...a: Parameters<typeof env.send>) => {
          sent.push(a[1].body);
          return env.send(...a);
        },
      };
      result = await replayRegression(spy, op, 'positive', r, 'users_create');
    });
    return { sent, ...result! };
  };
  const exact = await replay({ ...entry, seed: 1 });
  expect(exact.note).toBeUndefined();
  expect(exact.sent).toHaveLength(1);
  // Sent as stored, behind the run's marker (which the run needs to know its own).
  expect((exact.sent[0] as { email: string }).email).toMatch(new RegExp(`\\.${grepFor((entry.request!.body as { email: string }).email)}$`));
  expect(exact.outcome?.failure).toBeDefined();

  // A request the spec no longer accepts (here: its email is not an email any more) is not sent.
  const stale = await replay({ ...entry, request: { ...entry.request!, body: { email: 42 } } });
  expect(stale.sent).toEqual([]);
  expect(stale.note).toMatch(/no longer fits the spec: the body it sends is no longer valid .*; not replayed \(update or delete it\)/);
  const gone = await replay({ ...entry, request: { ...entry.request!, headers: { 'X-Removed': '1' } } });
  expect(gone.note).toMatch(/the header parameter X-Removed is no longer in users_create/);
  // One stored before requests were: regenerated, and the note says what that risks.
  const legacy = await replay({ ...entry, request: undefined });
  expect(legacy.note).toMatch(/stores no request: regenerated from seed 424242 and path .*, which a spec change alters/);
});

const FINDING = { check: 'not_a_server_error', message: 'got 500' } as const;
const fakeOutcome = (i: number, over: Partial<NonNullable<PropertyOutcome['failure']>> = {}): PropertyOutcome => ({
  runs: 1,
  requests: 1,
  failure: { recorded: [{ exchange: {} as never, findings: [FINDING] }], replay: { seed: i, path: '0:1', grep: 'x' }, counterexample: `[${'"padding",'.repeat(2000)}${i}]`, alone: true, ...over },
});

test('the corpus refuses a counterexample that did not fail alone, or has no finding', async ({}, testInfo) => {
  const dir = testInfo.outputPath('regressions');
  expect(saveRegression('t', fakeOutcome(1, { alone: false }), dir)).toBeUndefined();
  expect(saveRegression('t', fakeOutcome(2, { recorded: [] }), dir)).toBeUndefined();
  expect(saveRegression('t', fakeOutcome(3), dir)).toMatch(/\.json$/);
  expect(regressionsFor('t', dir).map((r) => r.seed)).toEqual([3]);
});

test('a corrupt corpus file is reported by name, with what to do', async ({}, testInfo) => {
  const dir = testInfo.outputPath('regressions');
  saveRegression('t', fakeOutcome(1), dir);
  writeFileSync(join(dir, 'broken.json'), '{"test": ');
  expect(() => regressionsFor('t', dir)).toThrow(/regression corpus file .*broken\.json is not valid JSON .*; fix it or delete it/);
});

test('a run reading the corpus never sees a half-written file while another process saves', async ({}, testInfo) => {
  const dir = testInfo.outputPath('regressions');
  mkdirSync(dir, { recursive: true });
  // Another process saves the same failure over and over (as shards finding it at once do);
  // this one keeps reading the corpus meanwhile.
  const writer = spawn(process.execPath, [require.resolve('tsx/cli'), '-e', `
    const { saveRegression } = require(${JSON.stringify(require.resolve('../../src/run/properties/corpus'))});
    const outcome = { runs: 1, requests: 1, failure: { recorded: [{ findings: [{ check: 'not_a_server_error', message: 'x' }] }], replay: { seed: 1, path: '0:1', grep: 'x' }, counterexample: '[' + '"padding",'.repeat(20000) + '1]', alone: true } };
    for (let i = 0; i < 3000; i++) saveRegression('t', outcome, ${JSON.stringify(dir)});
  `]);
  const done = new Promise((ok) => writer.on('exit', ok));
  let reads = 0;
  while (writer.exitCode === null) {
    regressionsFor('t', dir);
    reads++;
    await new Promise((r) => setImmediate(r));
  }
  await done;
  expect(writer.exitCode).toBe(0);
  expect(reads).toBeGreaterThan(100);
  expect(regressionsFor('t', dir)).toHaveLength(1);
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^[0-9a-f]{12}\.json$/)]);
});
