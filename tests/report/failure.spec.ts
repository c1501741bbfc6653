import { expect, test } from '@playwright/test';
import { formatFailure } from '../../src/run/report/failure';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import type { Session } from '../../src/run/session';

/** A failure says what its rule rests on; one that rests on a guess says so first. */
test('a finding that rests on a profile guess says so in the failure text', async () => {
  const r = await runAgainstMock({ mock: { profile: 'variant-a' }, env: { CONFORMANCE_TARGET_PROFILE: 'embedded' } }, (env) => EXAMPLE_SUITES.malformed(env.target.spec.byId.get('users_get')!, env));
  const rec = r.recorded.find((x) => x.findings.some((f) => f.check === 'negative_data_rejection'))!;
  const text = formatFailure({ client: { base: new URL('http://127.0.0.1:1') } } as Session, rec);
  expect(text).toMatch(/\[negative_data_rejection\] invalid path \(org_id is "[^"]+"\) got 404, expected 400\n {4}rests on a guess: target profile embedded, malformed_id_status \(a guess: a bad request\)/);
});
