import { expect, test } from '@playwright/test';
import { loadContracts } from '../../src/model/contracts';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { wholeSuite } from '../../src/run/selfcheck/suite';

/**
 * A server that answers the open questions otherwise, but within what the sources allow, is not
 * a broken server: run with its own profile the whole suite passes it; run with the embedded
 * profile, the suite fails on exactly the answers that differ, each finding citing the profile
 * answer it rests on.
 */
test.describe.configure({ mode: 'parallel' });

const embedded = loadContracts(undefined, 'embedded').profile;

for (const variant of ['variant-a', 'variant-b', 'variant-c']) {
  const profile = loadContracts(undefined, variant).profile;
  const differing = [...profile.questions.keys()].filter((q) => String(profile.first(q)) !== String(embedded.first(q))).sort();

  test(`${variant}: the whole suite passes it with its own profile`, async () => {
    const r = await runAgainstMock({ mock: { profile: variant } }, (env) => wholeSuite(env));
    expect(r.stepErrors).toEqual([]);
    expect(r.findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
  });

  test(`${variant}: judged by the embedded profile, it fails on exactly the ${differing.length} answers that differ`, async () => {
    const r = await runAgainstMock({ mock: { profile: variant }, env: { CONFORMANCE_TARGET_PROFILE: 'embedded' } }, (env) => wholeSuite(env));
    const other = r.findings.filter((f) => !f.rule?.startsWith('profile '));
    expect(other.map((f) => `${f.check} [${f.rule}]: ${f.message}`)).toEqual([]);
    expect([...new Set(r.findings.map((f) => f.rule!.slice('profile '.length)))].sort()).toEqual(differing);
    expect(r.findings.every((f) => f.note?.startsWith('target profile embedded'))).toBe(true);
  });
}
