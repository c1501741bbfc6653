import type { CheckInfo, Finding, Recorded } from './types';

/**
 * Checks that judge a sequence of requests rather than one exchange: state, scope and
 * credentials. Their logic lives in the workflow named in `where`; a broken rule is recorded on
 * the exchange that showed it (see `expectRule`).
 */
export const STATEFUL_CHECKS: readonly (CheckInfo & { where: string })[] = [
  { id: 'ensure_resource_availability', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Created resources are available', description: 'An instance the API said it created can be read, with the name or email it was given, and is listed.' },
  { id: 'use_after_free', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Deleted resources are gone', description: 'After a successful delete, the instance gets the not-found answer and is no longer listed.' },
  { id: 'update_applied', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Updates are applied, whole', description: 'After a successful update a read reflects it, and an instance made after it is unchanged (an update acts on its target only, RFC 9110 9.3.4); an update replaces an organization, role or policy whole (invariants.yaml update_replaces_whole); a field the spec says an update ignores keeps its value (update_user_email).' },
  { id: 'unique_names', where: 'src/run/workflows/lifecycle.ts', severity: 'normal', title: 'Duplicate names and emails get the agreed answer', description: "Creating a second organization, user, role or policy with the name or email of one there gets the target profile's answer (duplicate_org_name_status, duplicate_user_email, duplicate_permission_name)." },
  { id: 'readonly_instances_protected', where: 'src/run/workflows/readonly.ts', severity: 'critical', title: 'Built-in roles and policies stay as they are', description: "Every organization has the built-in roles the profile names; updating or deleting a built-in role or policy gets the profile's answer, and a refused change leaves it as it was." },
  { id: 'cross_org_reference', where: 'src/run/workflows/references.ts', severity: 'blocker', title: 'Only the organization\'s own roles can be named', description: "A user's role_ids or a policy's bindings naming a role of another organization, or one that does not exist, are refused with the profile's status and change nothing." },
  { id: 'reference_after_delete', where: 'src/run/workflows/references.ts', severity: 'normal', title: 'References to a deleted role are as agreed', description: "After a role is deleted, policies still name it (invariants.yaml stale_role_ids_kept) and its users hold it or not as the profile says (role_delete_effect_on_users)." },
  { id: 'owner_org_first', where: 'src/run/workflows/isolation.ts', severity: 'normal', title: 'The owner organization is listed first', description: "The partner's owner organization is element 0 of the organization list." },
  { id: 'owner_org_protected', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'The owner organization cannot be deleted', description: 'Deleting the partner\'s own owner organization is refused (with the profile\'s status) and it stays. Probed only on the embedded mock or with CONFORMANCE_ALLOW_OWNER_DELETE_PROBE=1.' },
  { id: 'revoked_key_rejected', where: 'src/run/workflows/keys.ts', severity: 'blocker', title: 'Keys are revoked by force=true', description: "After minting with force=true the previous keys get 401 and the new one works; minting again without force does what the profile says (api_key_repeat_without_force)." },
  { id: 'idempotent_replay', where: 'src/run/workflows/idempotency.ts', severity: 'critical', title: 'Idempotency-Key replays the first outcome', description: "A create repeated with the same Idempotency-Key gets the first outcome and makes nothing new, whatever the repeat's body; concurrent duplicates never both run; scope, PUT and DELETE behave as the profile says." },
  { id: 'cross_partner_access', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: "Partners cannot reach each other's data", description: "Another partner's key, or its key scoped to this partner's organization, gets a refusal without data on every operation that names this partner's instances; they stay." },
  { id: 'org_list_isolation', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: "Organization lists hold only the partner's own", description: "No organization of another partner ever appears in a partner's list." },
  { id: 'cross_org_access', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'Users, roles and policies are reached only through their organization', description: 'An instance of organization B, addressed under organization A or with A\'s credential, gets the not-found answer (the same as an id that names nothing), is never listed for A, and stays untouched.' },
  { id: 'mass_assignment', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'No mass assignment', description: "A create naming another organization in its body lands where the profile says (permissions_organization_id) where the spec declares the field, and in the caller's organization where it does not." },
  { id: 'version_negotiation', where: 'src/run/workflows/versions.ts', severity: 'critical', title: 'API versions are negotiated as agreed', description: 'Without X-Polytomic-Version the default version serves the request and is named; every supported version is accepted and named in the answer.' },
  { id: 'identity_names_caller', where: 'src/run/workflows/identity.ts', severity: 'critical', title: 'GET /api/me names its caller', description: "A user key is named as its user in its organization, a partner key as a partner, an organization-scoped key as the profile says (org_key_identity)." },
  { id: 'model_conformance', where: 'src/run/workflows/model.ts', severity: 'critical', title: 'Responses agree with a model of the API', description: 'Random sequences of user and role operations get the answers a small in-test model of the API predicts.' },
];

/**
 * Records a broken rule on the exchange that showed it; returns whether the rule held. Without a
 * `rule`, the rule is the check itself (one rule per stateful check), stated by the spec.
 */
export function expectRule(rec: Recorded, check: string, ok: boolean, message: string, detail: Pick<Finding, 'expected' | 'actual' | 'rule' | 'basis' | 'note'> = {}): boolean {
  if (!ok) rec.findings.push({ check, message, rule: check, basis: 'spec', ...detail });
  return ok;
}
