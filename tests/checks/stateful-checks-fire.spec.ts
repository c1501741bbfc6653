import { expect, test } from '@playwright/test';
import { STATEFUL_CHECKS } from '../../src/checks/stateful';
import { checkProperty } from '../../src/run/properties/runner';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import type { SuiteEnv } from '../../src/run/env';
import { idempotentReplay } from '../../src/run/workflows/idempotency';
import { crossOrgUserAccess, crossPartnerAccess, currentOrgScope, massAssignment, orgListIsolation, ownerOrganization } from '../../src/run/workflows/isolation';
import { apiKeyRotation } from '../../src/run/workflows/keys';
import { organizationLifecycle, userLifecycle } from '../../src/run/workflows/lifecycle';
import { modelCommands, runModel } from '../../src/run/workflows/model';
import { versionNegotiation } from '../../src/run/workflows/versions';

/**
 * Every stateful check is shown to fire: the workflow that enforces it, run against a mock that
 * breaks exactly its rule, reports its id; run against the clean mock it reports nothing.
 */
interface Case {
  check: string;
  /** A mock fault, or a profile the mock behaves as while the suite expects the embedded one. */
  fault?: string;
  variant?: string;
  /** The profile the suite judges by (default: embedded); the polytomic one accepts more answers. */
  judgedAs?: string;
  workflow: (env: SuiteEnv) => Promise<void>;
  mock?: { latencyMs?: number };
}

const broken = (c: Case) => ({ faults: c.fault ? [c.fault] : [], mock: { ...c.mock, profile: c.variant }, env: { CONFORMANCE_TARGET_PROFILE: c.judgedAs ?? 'embedded' } });
const clean = (c: Case) => ({ mock: { ...c.mock, profile: c.variant }, env: c.judgedAs ? { CONFORMANCE_TARGET_PROFILE: c.judgedAs } : undefined });

const owner = (env: SuiteEnv) => ownerOrganization(env, env.target.config.ownerOrgId!, true);
const model = async (env: SuiteEnv) => {
  const roles = Object.values((await import('../../mock/store')).ROLES);
  // Mismatches are recorded as findings on the exchanges the harness collects.
  await checkProperty(env, modelCommands(10), (cmds, e) => runModel(e, roles, cmds), { seed: 7, numRuns: 50, grep: 'model' });
};

const CASES: Case[] = [
  { check: 'ensure_resource_availability', fault: 'create_not_persisted', workflow: (e) => userLifecycle(e, 'current') },
  { check: 'use_after_free', fault: 'delete_is_soft', workflow: (e) => userLifecycle(e, 'partner') },
  { check: 'update_applied', fault: 'update_ignored', workflow: (e) => userLifecycle(e, 'current') },
  { check: 'update_applied', fault: 'sso_merged_on_update', workflow: organizationLifecycle },
  { check: 'update_applied', fault: 'update_user_changes_email', workflow: (e) => userLifecycle(e, 'partner') },
  { check: 'unique_org_name', fault: 'duplicate_org_name_allowed', workflow: organizationLifecycle },
  { check: 'unique_user_email', fault: 'duplicate_user_email_allowed', workflow: (e) => userLifecycle(e, 'current') },
  { check: 'version_negotiation', variant: 'variant-a', workflow: versionNegotiation },
  { check: 'version_negotiation', fault: 'older_version_rejected', workflow: versionNegotiation },
  { check: 'owner_org_first', fault: 'owner_org_not_first', workflow: owner },
  { check: 'owner_org_protected', fault: 'owner_org_deletable', workflow: owner },
  { check: 'revoked_key_rejected', fault: 'revoked_key_accepted', workflow: apiKeyRotation },
  { check: 'revoked_key_rejected', variant: 'variant-a', workflow: apiKeyRotation },
  { check: 'idempotent_replay', fault: 'idempotency_not_replayed', workflow: idempotentReplay },
  { check: 'idempotent_replay', fault: 'idempotency_in_flight_processed', workflow: idempotentReplay, mock: { latencyMs: 150 } },
  { check: 'idempotent_replay', fault: 'idempotency_reuse_rejected', workflow: idempotentReplay },
  { check: 'idempotent_replay', variant: 'variant-b', workflow: idempotentReplay },
  { check: 'unique_user_email', variant: 'variant-a', workflow: (e) => userLifecycle(e, 'partner') },
  { check: 'cross_partner_access', fault: 'foreign_partner_reads_orgs', workflow: crossPartnerAccess },
  { check: 'org_list_isolation', fault: 'org_list_includes_foreign', workflow: orgListIsolation },
  { check: 'cross_org_user_access', fault: 'cross_org_user_lookup', workflow: crossOrgUserAccess },
  { check: 'cross_org_user_access', fault: 'out_of_scope_403', workflow: crossOrgUserAccess },
  { check: 'cross_partner_access', fault: 'out_of_scope_403', workflow: crossPartnerAccess },
  // Where the profile accepts 403 and 404 alike, the two must still agree: 403 for another's, 404 for nothing, tells.
  { check: 'cross_org_user_access', fault: 'out_of_scope_403', judgedAs: 'polytomic', workflow: crossOrgUserAccess },
  { check: 'current_org_scope', fault: 'current_org_sees_all_users', workflow: currentOrgScope },
  { check: 'mass_assignment', fault: 'mass_assignment_org_id', workflow: massAssignment },
  { check: 'model_conformance', fault: 'delete_is_soft', workflow: model },
  { check: 'model_conformance', fault: 'update_hits_newest_user', workflow: model },
];

test.describe.configure({ mode: 'parallel' });

test('every stateful check has a fault that proves it fires', () => {
  const proven = new Set(CASES.map((c) => c.check));
  expect(STATEFUL_CHECKS.map((c) => c.id).filter((id) => !proven.has(id))).toEqual([]);
});

for (const c of CASES) {
  test.describe(`check ${c.check} (${c.fault ?? c.variant}${c.judgedAs ? `, judged as ${c.judgedAs}` : ''})`, () => {
    test(c.fault ? `fails on mock fault ${c.fault}` : `fails on the ${c.variant} mock judged by the embedded profile`, async () => {
      const r = await runAgainstMock(broken(c), c.workflow);
      expect([...r.failedChecks], `findings: ${JSON.stringify(r.findings.slice(0, 5))}`).toContain(c.check);
    });

    test(c.fault ? 'passes on the clean mock' : `passes on the ${c.variant} mock judged by its own profile`, async () => {
      const r = await runAgainstMock(clean(c), c.workflow);
      expect(r.setupError).toBeUndefined();
      expect(r.findings).toEqual([]);
    });
  });
}
