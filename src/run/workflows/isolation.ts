import { expectRule } from '../../checks/stateful';
import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import type { SuiteEnv } from '../env';
import { answered, call, data, ids, ok, status } from './steps';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * An out-of-scope attempt is refused with the not-found answer and no data; where the same
 * request for an id that names nothing was also sent, both answers are the same, so the refusal
 * does not tell that the resource exists.
 */
function refusedAsUnknown(env: SuiteEnv, rec: Recorded, check: string, what: string, unknown?: Recorded): void {
  if (!answered(env, rec, check, 'not_found_status', status(rec), `${what}: ${rec.exchange.request.method} ${rec.exchange.request.path} got ${status(rec)}`)) return;
  expectRule(rec, check, data(rec) === undefined, `${what}: the refusal carries data`, { actual: data(rec) });
  if (unknown) {
    expectRule(rec, check, status(unknown) === status(rec), `${what} got ${status(rec)} where an id that names nothing gets ${status(unknown)}: the answer tells that it exists`, {
      expected: status(unknown),
      actual: status(rec),
      ...citeInvariant(env.target.contracts.invariants, 'existence_not_revealed'),
    });
  }
}

/** Another partner's key on this partner's organizations and users gets the out-of-scope status, never data. */
export async function crossPartnerAccess(env: SuiteEnv): Promise<void> {
  const foreign = env.target.foreignPartner!;
  const { org, user } = env.world;
  const unknownOrg = await call(env, 'organization_get', { credential: foreign, params: { id: UNKNOWN_ID } });
  const attempts = [
    await call(env, 'organization_get', { credential: foreign, params: { id: org.id } }),
    await call(env, 'organization_update', { credential: foreign, params: { id: org.id }, body: { name: env.sb.uniqueName('org') } }),
    await call(env, 'users_list', { credential: foreign, params: { org_id: org.id } }),
    await call(env, 'users_get', { credential: foreign, params: { org_id: org.id, id: user.id } }),
    await call(env, 'users_createApiKey', { credential: foreign, params: { org_id: org.id, id: user.id } }),
    await call(env, 'users_delete', { credential: foreign, params: { org_id: org.id, id: user.id } }),
  ];
  for (const [i, rec] of attempts.entries()) refusedAsUnknown(env, rec, 'cross_partner_access', "another partner's key", i === 0 ? unknownOrg : undefined);
  const still = await call(env, 'users_get', { credential: env.target.partner, params: { org_id: org.id, id: user.id } });
  expectRule(still, 'cross_partner_access', ok(still), `the user is gone after another partner tried to delete it (${status(still)})`);
}

/** No organization of another partner ever appears in a partner's list, either way round. */
export async function orgListIsolation(env: SuiteEnv): Promise<void> {
  const mine = await call(env, 'organization_list', { credential: env.target.partner });
  const theirs = await call(env, 'organization_list', { credential: env.target.foreignPartner! });
  const shared = ids(mine).filter((id) => ids(theirs).includes(id));
  expectRule(mine, 'org_list_isolation', shared.length === 0, `organizations listed for both partners: ${shared.join(', ')}`);
  expectRule(theirs, 'org_list_isolation', !ids(theirs).includes(env.world.org.id), `another partner's list holds this run's organization ${env.world.org.id}`);
}

/** A user of organization B is not reachable under organization A, and stays untouched. */
export async function crossOrgUserAccess(env: SuiteEnv): Promise<void> {
  const partner = env.target.partner;
  const orgB = await env.sb.createOrg();
  const userB = await env.sb.createUser(orgB.id);
  const params = { org_id: env.world.org.id, id: userB.id };
  const unknownUser = await call(env, 'users_get', { credential: partner, params: { ...params, id: UNKNOWN_ID } });
  const attempts = [
    await call(env, 'users_get', { credential: partner, params }),
    await call(env, 'users_update', { credential: partner, params, body: { email: userB.email, role: 'admin' } }),
    await call(env, 'users_createApiKey', { credential: partner, params }),
    await call(env, 'users_delete', { credential: partner, params }),
  ];
  for (const [i, rec] of attempts.entries()) refusedAsUnknown(env, rec, 'cross_org_user_access', `a user of another organization, under ${env.world.org.id}`, i === 0 ? unknownUser : undefined);
  const still = await call(env, 'users_get', { credential: partner, params: { org_id: orgB.id, id: userB.id } });
  expectRule(still, 'cross_org_user_access', ok(still) && data(still)?.role !== 'admin', `the other organization's user was changed or removed (${status(still)})`);
}

/** A user key answers for its own organization only. */
export async function currentOrgScope(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const orgB = await env.sb.createOrg();
  const userB = await env.sb.createUser(orgB.id);
  const me = await call(env, 'organization_getCurrent', { credential: world.userKey });
  expectRule(me, 'current_org_scope', data(me)?.id === world.org.id, `GET /api/organization answered for ${data(me)?.id}, not the key's organization ${world.org.id}`);
  const list = await call(env, 'users_listCurrentOrgUsers', { credential: world.userKey });
  const foreignUsers = (data(list) ?? []).filter((u: any) => u?.organization_id !== world.org.id || u?.id === userB.id);
  expectRule(list, 'current_org_scope', foreignUsers.length === 0, `the key's user list holds ${foreignUsers.length} users of other organizations`);
  const unknown = await call(env, 'users_getCurrentOrgUser', { credential: world.userKey, params: { id: UNKNOWN_ID } });
  const other = await call(env, 'users_getCurrentOrgUser', { credential: world.userKey, params: { id: userB.id } });
  refusedAsUnknown(env, other, 'current_org_scope', "a user of another organization, with this organization's key", unknown);
}

/** `organization_id` in a create body never moves the user to another organization. */
export async function massAssignment(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const orgB = await env.sb.createOrg();
  const creates = [
    await call(env, 'users_create', { credential: env.target.partner, params: { org_id: world.org.id }, body: { email: env.sb.uniqueEmail(), organization_id: orgB.id, id: orgB.id } }),
    await call(env, 'users_createCurrentOrgUser', { credential: world.userKey, body: { email: env.sb.uniqueEmail(), organization_id: orgB.id } }),
  ];
  for (const rec of creates) {
    if (!ok(rec)) continue;
    const u = data(rec);
    env.sb.adopt('user', u.id, `/api/organizations/${u.organization_id === orgB.id ? orgB.id : world.org.id}/users/${u.id}`);
    expectRule(rec, 'mass_assignment', u.organization_id === world.org.id && u.id !== orgB.id, `a body field moved the user to organization ${u.organization_id}`, { expected: world.org.id, actual: u.organization_id });
  }
  const inB = await call(env, 'users_list', { credential: env.target.partner, params: { org_id: orgB.id } });
  expectRule(inB, 'mass_assignment', ids(inB).length === 0, `organization ${orgB.id} gained users through another organization's create`);
}

/** The owner organization is listed first and, where probing is allowed, cannot be deleted. */
export async function ownerOrganization(env: SuiteEnv, ownerId: string, probeDelete: boolean): Promise<void> {
  const list = await call(env, 'organization_list', { credential: env.target.partner });
  expectRule(list, 'owner_org_first', ids(list)[0] === ownerId, `element 0 of the organization list is ${ids(list)[0]}, not the owner organization ${ownerId}`, { expected: ownerId, actual: ids(list)[0], ...citeInvariant(env.target.contracts.invariants, 'owner_org_first') });
  if (!probeDelete) return;
  const del = await call(env, 'organization_delete', { credential: env.target.partner, params: { id: ownerId } });
  const cite = citeInvariant(env.target.contracts.invariants, 'owner_org_protected');
  if (expectRule(del, 'owner_org_protected', !ok(del), `deleting the owner organization got ${status(del)}`, { actual: status(del), ...cite })) {
    answered(env, del, 'owner_org_protected', 'owner_org_delete_status', status(del), `deleting the owner organization got ${status(del)}`);
  }
  const still = await call(env, 'organization_get', { credential: env.target.partner, params: { id: ownerId } });
  expectRule(still, 'owner_org_protected', ok(still), `the owner organization is gone (${status(still)})`, cite);
}
