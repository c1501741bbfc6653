import { expect, test } from '@playwright/test';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { cleanPassed } from '../../src/run/selfcheck/score';
import { wholeSuite } from '../../src/run/selfcheck/suite';
import { call } from '../../src/run/workflows/steps';

/**
 * The self-check's "clean mock" verdict counts steps that threw: a suite that crashed halfway
 * found nothing because it judged nothing, and must not read as a pass.
 */
test('a step that threw fails the clean verdict, even with no finding', async () => {
  const r = await runAgainstMock({}, async (env) => {
    await call(env, 'organization_list', { credential: env.target.own }, { kind: 'positive' });
    return ['organizations: TypeError: cannot read properties of undefined'];
  });
  expect(r.findings).toEqual([]);
  expect(r.stepErrors).toEqual(['organizations: TypeError: cannot read properties of undefined']);
  expect(cleanPassed(r)).toBe(false);
});

test('the whole suite carries on past a step that throws and returns its error', async () => {
  const r = await runAgainstMock({}, async (env) => {
    // The connection breaks after the first request: every later step throws.
    let sent = 0;
    const send = env.send;
    return wholeSuite({ ...env, send: (...a) => (++sent > 1 ? Promise.reject(new Error('socket hang up')) : send(...a)) });
  });
  // Every step after the first threw, and each was still run: one error per step, not one for the run.
  expect(r.stepErrors.length).toBeGreaterThan(5);
  expect(r.stepErrors.every((e) => /socket hang up/.test(e))).toBe(true);
  expect(cleanPassed(r)).toBe(false);
});

test('the clean mock with every step run passes', async () => {
  const r = await runAgainstMock({}, async (env) => {
    await call(env, 'organization_list', { credential: env.target.own }, { kind: 'positive' });
    return [];
  });
  expect(r.recorded.length).toBeGreaterThan(0);
  expect(cleanPassed(r)).toBe(true);
});

test('a property step and the model step that fail on every request, with no finding, fail the clean verdict', async () => {
  const r = await runAgainstMock({ env: { CONFORMANCE_RUNS: '2' } }, async (env) => {
    const send = env.send;
    // Requests to these two operations break in the suite (as a client bug would): no check ever sees an answer.
    const broken = new Set(['identity_get', 'users_list']);
    return wholeSuite({ ...env, send: (op, parts, intent) => ('id' in op && broken.has(op.id) ? Promise.reject(new TypeError('cannot read properties of undefined')) : send(op, parts, intent)) });
  });
  expect(r.stepErrors).toContainEqual('Identity › identity_get › positive generated requests conform: failed with no finding: cannot read properties of undefined');
  expect(r.stepErrors.some((e) => /^Model-based › user and role operations agree with the model: failed with no finding/.test(e))).toBe(true);
  expect(cleanPassed(r)).toBe(false);
});
