import { expect, test } from '@playwright/test';
import { VARIATIONS } from '../../src/run/embedded';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { wholeSuite } from '../../src/run/selfcheck/suite';

/**
 * What real servers legitimately do passes: the whole suite, judged by the profile of a live
 * Polytomic server, finds nothing against the mock started with each variation (CDN headers,
 * compression, connections closed, 429s anywhere, jitter, lists in any order, null lists, a
 * crowded partner), and leaves what was there before it exactly as it was.
 */
test.describe.configure({ mode: 'parallel' });

for (const [variation, what] of Object.entries(VARIATIONS)) {
  test(`${variation}: ${what}`, { tag: '@heavy' }, async () => {
    const r = await runAgainstMock({ mock: { variations: [variation] }, env: { CONFORMANCE_TARGET_PROFILE: 'polytomic', CONFORMANCE_RUNS: '5' } }, (env) => wholeSuite(env));
    expect(r.setupError).toBeUndefined();
    expect(r.stepErrors).toEqual([]);
    expect(r.findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    expect(r.snapshots.after.preexisting).toBe(r.snapshots.before.preexisting);
    expect(r.recorded.length).toBeGreaterThan(1000);
  });
}

test('the crowded partner holds what no run made: 40 more organizations, 200 more users', async () => {
  const plain = await runAgainstMock({}, async () => undefined);
  const crowded = await runAgainstMock({ mock: { variations: ['crowded_partner'] } }, async () => undefined);
  expect(crowded.snapshots.before.organizations - plain.snapshots.before.organizations).toBe(40);
  expect(crowded.snapshots.before.users - plain.snapshots.before.users).toBe(200);
});
