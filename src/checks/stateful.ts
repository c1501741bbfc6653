import type { CheckInfo, Finding, Recorded } from './types';

/**
 * Checks that judge a sequence of requests rather than one exchange: state, scope and
 * credentials. Their logic lives in the workflow named in `where`; a broken rule is recorded on
 * the exchange that showed it (see `expectRule`).
 */
export const STATEFUL_CHECKS: readonly (CheckInfo & { where: string })[] = [
  { id: 'ensure_resource_availability', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Created resources are available', description: 'A resource the API said it created can be fetched and is listed, with what was sent.' },
  { id: 'use_after_free', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Deleted resources are gone', description: 'After a successful delete, the resource gets 404 and is no longer listed.' },
  { id: 'update_applied', where: 'src/run/workflows/lifecycle.ts', severity: 'critical', title: 'Updates are applied', description: 'After a successful update a fetch reflects it; SSO/OIDC settings are replaced whole, not merged; the email a partner user update requires is treated as choices.yaml update_user_email says (ignored).' },
  { id: 'unique_org_name', where: 'src/run/workflows/lifecycle.ts', severity: 'normal', title: 'Organization names are unique', description: 'Creating a second organization with a name the partner already uses gets the duplicate status (409).' },
  { id: 'unique_user_email', where: 'src/run/workflows/lifecycle.ts', severity: 'normal', title: 'User emails are unique in an organization', description: 'Creating a second user with an email the organization already has gets the duplicate status (409) and creates nothing.' },
  { id: 'owner_org_first', where: 'src/run/workflows/isolation.ts', severity: 'normal', title: 'The owner organization is listed first', description: "The partner's owner organization is element 0 of the organization list." },
  { id: 'owner_org_protected', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'The owner organization cannot be deleted', description: 'Deleting the partner\'s own owner organization is refused (403) and it stays. Probed only on the embedded mock or with CONFORMANCE_ALLOW_OWNER_DELETE_PROBE=1.' },
  { id: 'revoked_key_rejected', where: 'src/run/workflows/keys.ts', severity: 'blocker', title: 'Keys are revoked by force=true, and only by it', description: 'After minting with force=true the previous keys get 401 and the new one works; minting again without force keeps earlier keys working (choices.yaml api_key_repeat_without_force).' },
  { id: 'idempotent_replay', where: 'src/run/workflows/idempotency.ts', severity: 'critical', title: 'Idempotency-Key replays the first outcome', description: 'A repeat with the same Idempotency-Key returns the first outcome and creates nothing new, also when the duplicates are concurrent; the key reused for a different request gets 422; keys are remembered per credential, so no caller ever gets another\'s outcome.' },
  { id: 'cross_partner_access', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: "Partners cannot reach each other's data", description: "Another partner's key on this partner's organizations and users gets the out-of-scope status (404, which does not reveal that they exist), never data." },
  { id: 'org_list_isolation', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: "Organization lists hold only the partner's own", description: "No organization of another partner ever appears in a partner's list." },
  { id: 'cross_org_user_access', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'Users are reached only through their organization', description: "A user id of organization B under /api/organizations/{A}/users/{id} gets the out-of-scope status (404) and stays untouched." },
  { id: 'current_org_scope', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: "A user key sees only its own organization", description: "Current-org routes answer for the key's organization only: no user or data of another organization." },
  { id: 'mass_assignment', where: 'src/run/workflows/isolation.ts', severity: 'blocker', title: 'No mass assignment', description: '`organization_id` or any unknown field in a create body never moves the user to another organization.' },
  { id: 'version_negotiation', where: 'src/run/workflows/versions.ts', severity: 'critical', title: 'API versions are negotiated as agreed', description: 'Without X-Polytomic-Version the default version serves the request and is named; every supported version is accepted and named in the answer.' },
  { id: 'model_conformance', where: 'src/run/workflows/model.ts', severity: 'critical', title: 'Responses agree with a model of the API', description: 'Random sequences of user operations get the answers a small in-test model of the API predicts.' },
];

/**
 * Records a broken rule on the exchange that showed it; returns whether the rule held. Without a
 * `rule`, the rule is the check itself (one rule per stateful check), stated by the spec.
 */
export function expectRule(rec: Recorded, check: string, ok: boolean, message: string, detail: Pick<Finding, 'expected' | 'actual' | 'rule' | 'basis' | 'note'> = {}): boolean {
  if (!ok) rec.findings.push({ check, message, rule: check, basis: 'spec', ...detail });
  return ok;
}
