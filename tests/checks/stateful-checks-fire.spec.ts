import { expect, test } from '@playwright/test';
import { STATEFUL_CHECKS } from '../../src/checks/registry';
import { resourceOf } from '../../src/model/spec/resources';
import { currentSpec } from '../../src/run/current';
import type { SuiteEnv } from '../../src/run/env';
import { checkProperty } from '../../src/run/properties/runner';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { identityNamesCaller } from '../../src/run/workflows/identity';
import { idempotencyScopeAndMethods, idempotentCreate } from '../../src/run/workflows/idempotency';
import { crossOrgAccess, crossPartnerAccess, listIsolation, massAssignment, ownerOrganization } from '../../src/run/workflows/isolation';
import { apiKeyRotation } from '../../src/run/workflows/keys';
import { lifecycle } from '../../src/run/workflows/lifecycle';
import { membershipOf, modelCommands, runModel } from '../../src/run/workflows/model';
import { readonlyInstances } from '../../src/run/workflows/readonly';
import { foreignReferences, referenceAfterDelete } from '../../src/run/workflows/references';
import { versionNegotiation } from '../../src/run/workflows/versions';

/**
 * Every stateful check is shown to fire: a scenario run against a mock that breaks exactly its
 * rule reports its id; switched off in the configuration, the same run reports nothing under it;
 * run against the clean mock it reports nothing at all. Most rules are judged on every answer
 * (src/checks/record.ts), so several cases show a rule broken where no workflow of its own looks.
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
  /** Which resource or operation, where one check and fault are shown on several. */
  on?: string;
}

const broken = (c: Case) => ({ faults: c.fault ? [c.fault] : [], mock: { ...c.mock, profile: c.variant }, env: { CONFORMANCE_TARGET_PROFILE: c.judgedAs ?? 'embedded' } });
const clean = (c: Case) => ({ mock: { ...c.mock, profile: c.variant }, env: c.judgedAs ? { CONFORMANCE_TARGET_PROFILE: c.judgedAs } : undefined });

const r = (kind: string) => resourceOf(currentSpec(), kind);
const life = (kind: string, set = 0) => (env: SuiteEnv) => lifecycle(env, r(kind), set);
const owner = (env: SuiteEnv) => ownerOrganization(env, env.target.config.ownerOrgId!, true);
// Mismatches are recorded as findings on the exchanges the harness collects.
const model = (env: SuiteEnv) => checkProperty(env, modelCommands(10), (cmds, e) => runModel(e, membershipOf(e.target.spec)!, cmds), { seed: 7, numRuns: 50, grep: 'model' }).then(() => undefined);

/** A scenario, then a list of organizations (what any later test of the worker may send). */
const thenListOrgs = (first: (env: SuiteEnv) => Promise<void>) => async (env: SuiteEnv) => {
  await first(env);
  const list = env.target.spec.byId.get(r('organization').routes[0].list.id)!;
  for (let i = 0; i < 2; i++) await env.send(list, { credential: env.target.own }, { kind: 'probe' });
};

const CASES: Case[] = [
  { check: 'ensure_resource_availability', fault: 'create_not_persisted', workflow: life('user', 1) },
  { check: 'use_after_free', fault: 'delete_is_soft', workflow: life('user') },
  // Gone at the lifecycle's own list, back in later ones: only a check judging every answer sees it.
  { check: 'use_after_free', fault: 'deleted_org_relisted_later', workflow: thenListOrgs(life('organization')) },
  // A read shows the update; a later list of the lifecycle does not.
  { check: 'update_applied', fault: 'stale_user_list_after_update', workflow: life('user') },
  { check: 'cross_org_reference', fault: 'deleted_role_assignable', workflow: (e) => referenceAfterDelete(e, 'role') },
  { check: 'revoked_key_rejected', fault: 'deleted_user_key_works', workflow: apiKeyRotation },
  { check: 'use_after_free', fault: 'delete_is_soft', workflow: life('role'), on: 'roles' },
  { check: 'update_applied', fault: 'update_ignored', workflow: life('user', 1) },
  { check: 'update_applied', fault: 'sso_merged_on_update', workflow: life('organization') },
  { check: 'update_applied', fault: 'update_user_changes_email', workflow: life('user') },
  { check: 'update_applied', fault: 'policy_update_merges', workflow: life('policy') },
  { check: 'update_applied', fault: 'role_rename_ignored', workflow: life('role') },
  { check: 'unique_names', fault: 'duplicate_org_name_allowed', workflow: life('organization') },
  // The rename is refused with no question asked of the status; the list after shows two of one name.
  { check: 'unique_in_container', fault: 'duplicate_org_rename_allowed', workflow: life('organization') },
  { check: 'unique_names', fault: 'duplicate_user_email_allowed', workflow: life('user', 1) },
  { check: 'unique_names', fault: 'duplicate_role_name_allowed', workflow: life('role') },
  { check: 'unique_names', variant: 'variant-a', workflow: life('user') },
  { check: 'unique_names', variant: 'variant-b', workflow: life('policy') },
  { check: 'readonly_instances_protected', fault: 'builtin_role_mutable', workflow: (e) => readonlyInstances(e, r('role')) },
  { check: 'readonly_instances_protected', fault: 'builtin_roles_unmarked', workflow: (e) => readonlyInstances(e, r('role')) },
  { check: 'readonly_instances_protected', variant: 'variant-a', workflow: (e) => readonlyInstances(e, r('role')) },
  { check: 'readonly_instances_protected', variant: 'variant-b', workflow: (e) => readonlyInstances(e, r('policy')) },
  { check: 'cross_org_reference', fault: 'foreign_role_accepted', workflow: (e) => foreignReferences(e, 'role') },
  { check: 'cross_org_reference', fault: 'policy_foreign_role_accepted', workflow: (e) => foreignReferences(e, 'role') },
  { check: 'cross_org_reference', variant: 'variant-b', workflow: (e) => foreignReferences(e, 'role') },
  { check: 'reference_after_delete', fault: 'policy_forgets_deleted_role', workflow: (e) => referenceAfterDelete(e, 'role') },
  { check: 'reference_after_delete', variant: 'variant-a', workflow: (e) => referenceAfterDelete(e, 'role') },
  { check: 'reference_after_delete', variant: 'variant-b', workflow: (e) => referenceAfterDelete(e, 'role') },
  { check: 'version_negotiation', variant: 'variant-a', workflow: versionNegotiation },
  { check: 'version_negotiation', fault: 'older_version_rejected', workflow: versionNegotiation },
  { check: 'owner_org_first', fault: 'owner_org_not_first', workflow: owner },
  { check: 'owner_org_protected', fault: 'owner_org_deletable', workflow: owner },
  { check: 'revoked_key_rejected', fault: 'revoked_key_accepted', workflow: apiKeyRotation },
  { check: 'revoked_key_rejected', variant: 'variant-a', workflow: apiKeyRotation },
  { check: 'revoked_key_rejected', variant: 'variant-c', workflow: apiKeyRotation },
  { check: 'idempotent_replay', fault: 'idempotency_not_replayed', workflow: (e) => idempotentCreate(e, 'users_create') },
  { check: 'idempotent_replay', fault: 'idempotency_not_replayed', workflow: (e) => idempotentCreate(e, 'roles_create'), on: 'roles_create' },
  { check: 'idempotent_replay', fault: 'idempotency_reuse_rejected', workflow: (e) => idempotentCreate(e, 'policies_create') },
  { check: 'idempotent_replay', fault: 'idempotency_in_flight_processed', workflow: idempotencyScopeAndMethods, mock: { latencyMs: 150 } },
  { check: 'idempotent_replay', variant: 'variant-b', workflow: idempotencyScopeAndMethods },
  { check: 'cross_partner_access', fault: 'foreign_partner_reads_orgs', workflow: crossPartnerAccess },
  { check: 'cross_partner_access', fault: 'out_of_scope_403', workflow: crossPartnerAccess },
  { check: 'cross_partner_access', fault: 'foreign_org_key_accepted', workflow: crossPartnerAccess },
  { check: 'cross_partner_access', variant: 'variant-b', workflow: crossPartnerAccess },
  { check: 'org_list_isolation', fault: 'org_list_includes_foreign', workflow: listIsolation },
  { check: 'cross_org_access', fault: 'cross_org_user_lookup', workflow: (e) => crossOrgAccess(e, r('user')) },
  { check: 'cross_org_access', fault: 'out_of_scope_403', workflow: (e) => crossOrgAccess(e, r('user')) },
  { check: 'cross_org_access', fault: 'roles_of_other_orgs_readable', workflow: (e) => crossOrgAccess(e, r('role')) },
  // Where the profile accepts 403 and 404 alike, the two must still agree: 403 for another's, 404 for nothing, tells.
  { check: 'cross_org_access', fault: 'out_of_scope_403', judgedAs: 'polytomic', workflow: (e) => crossOrgAccess(e, r('user')) },
  { check: 'mass_assignment', fault: 'mass_assignment_org_id', workflow: (e) => massAssignment(e, r('user')) },
  { check: 'mass_assignment', fault: 'role_org_id_honoured', workflow: (e) => massAssignment(e, r('role')) },
  { check: 'mass_assignment', variant: 'variant-a', workflow: (e) => massAssignment(e, r('policy')) },
  { check: 'identity_names_caller', fault: 'identity_names_owner_org', workflow: identityNamesCaller },
  { check: 'identity_names_caller', fault: 'identity_partner_as_user', workflow: identityNamesCaller },
  { check: 'identity_names_caller', variant: 'variant-a', workflow: identityNamesCaller },
  { check: 'model_conformance', fault: 'delete_is_soft', workflow: model },
  { check: 'model_conformance', fault: 'update_hits_newest_user', workflow: model },
];

test.describe.configure({ mode: 'parallel' });

/** Rules no resource of the Polytomic spec has: shown on resource families added for them (tests/engine/resource-families.spec.ts). */
const PROVEN_ON_FAMILIES = ['container_limit'];

test('every stateful check has a fault that proves it fires', () => {
  const proven = new Set([...CASES.map((c) => c.check), ...PROVEN_ON_FAMILIES]);
  expect(STATEFUL_CHECKS.map((c) => c.id).filter((id) => !proven.has(id))).toEqual([]);
});

// Switched off, each check is silent on the very run that makes it fire (its first case).
for (const c of CASES.filter((x, i) => CASES.findIndex((y) => y.check === x.check) === i)) {
  test(`check ${c.check}, switched off, is silent on ${c.fault ?? c.variant}`, async () => {
    const r = await runAgainstMock({ ...broken(c), checks: { [c.check]: { enabled: false } } }, c.workflow);
    expect(r.findings.filter((f) => f.check === c.check)).toEqual([]);
  });
}

for (const c of CASES) {
  test.describe(`check ${c.check} (${c.fault ?? c.variant}${c.judgedAs ? `, judged as ${c.judgedAs}` : ''})${c.on ? ` on ${c.on}` : ''}`, () => {
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
