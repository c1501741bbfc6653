import { expect, test } from '@playwright/test';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import { call } from '../../src/run/workflows/steps';
import type { SuiteEnv } from '../../src/run/env';

/**
 * Rules about what an answer may hold are judged on every answer of the run, not only in the step
 * of the workflow that tests them: a break that shows in another test's answer, or only after the
 * other partner has acted, is caught there.
 */
const listOrgs = (env: SuiteEnv) => EXAMPLE_SUITES.valid(env.target.spec.byId.get('organization_list')!, env);

test("the owner organization listed late is caught in any list answer, not only the owner workflow's", async () => {
  const broken = await runAgainstMock({ faults: ['owner_org_not_first'] }, listOrgs);
  const found = broken.findings.filter((f) => f.check === 'owner_org_first');
  expect(found.length).toBeGreaterThan(0);
  expect(found[0].message).toMatch(/the owner organization is not element 0 of the organization list/);
  expect((await runAgainstMock({}, listOrgs)).findings).toEqual([]);
});

test("another partner's organization in a list is caught in every answer once the run has seen it", async () => {
  const scenario = async (env: SuiteEnv) => {
    // The other partner acts (lists its own); later, an unrelated test lists this partner's.
    await call(env, 'organization_list', { credential: env.target.foreignPartner! });
    await listOrgs(env);
  };
  const broken = await runAgainstMock({ faults: ['org_list_includes_foreign'] }, scenario);
  const later = broken.recorded.slice(1).flatMap((r) => r.findings).filter((f) => f.check === 'org_list_isolation');
  expect(later.length).toBeGreaterThan(0);
  expect(later[0].message).toMatch(/another partner's organizations in a list answered to this partner/);
  expect((await runAgainstMock({}, scenario)).findings).toEqual([]);
});
