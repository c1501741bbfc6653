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
  fault: string;
  workflow: (env: SuiteEnv) => Promise<void>;
  mock?: { latencyMs?: number };
}

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
  { check: 'version_negotiation', fault: 'default_version_oldest', workflow: versionNegotiation },
  { check: 'version_negotiation', fault: 'older_version_rejected', workflow: versionNegotiation },
  { check: 'owner_org_first', fault: 'owner_org_not_first', workflow: owner },
  { check: 'owner_org_protected', fault: 'owner_org_deletable', workflow: owner },
  { check: 'revoked_key_rejected', fault: 'revoked_key_accepted', workflow: apiKeyRotation },
  { check: 'revoked_key_rejected', fault: 'key_repeat_revokes', workflow: apiKeyRotation },
  { check: 'idempotent_replay', fault: 'idempotency_not_replayed', workflow: idempotentReplay },
  { check: 'idempotent_replay', fault: 'idempotency_in_flight_processed', workflow: idempotentReplay, mock: { latencyMs: 150 } },
  { check: 'idempotent_replay', fault: 'idempotency_reuse_replays', workflow: idempotentReplay },
  { check: 'idempotent_replay', fault: 'idempotency_shared_across_credentials', workflow: idempotentReplay },
  { check: 'cross_partner_access', fault: 'foreign_partner_reads_orgs', workflow: crossPartnerAccess },
  { check: 'org_list_isolation', fault: 'org_list_includes_foreign', workflow: orgListIsolation },
  { check: 'cross_org_user_access', fault: 'cross_org_user_lookup', workflow: crossOrgUserAccess },
  { check: 'cross_org_user_access', fault: 'out_of_scope_403', workflow: crossOrgUserAccess },
  { check: 'cross_partner_access', fault: 'out_of_scope_403', workflow: crossPartnerAccess },
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
  test.describe(`check ${c.check} (${c.fault})`, () => {
    test(`fails on mock fault ${c.fault}`, async () => {
      const r = await runAgainstMock({ faults: [c.fault], mock: c.mock }, c.workflow);
      expect([...r.failedChecks], `findings: ${JSON.stringify(r.findings.slice(0, 5))}`).toContain(c.check);
    });

    test('passes on the clean mock', async () => {
      const r = await runAgainstMock({ mock: c.mock }, c.workflow);
      expect(r.setupError).toBeUndefined();
      expect(r.findings).toEqual([]);
    });
  });
}
