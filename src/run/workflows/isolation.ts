import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import { call, data, ids, ok, status } from './steps';

/** Another partner's key on this partner's organizations and users gets the out-of-scope status, never data. */
export async function crossPartnerAccess(env: SuiteEnv): Promise<void> {
  const foreign = env.target.foreignPartner!;
  const outOfScope = env.target.contracts.choices.out_of_scope_status;
  const { org, user } = env.world;
  const attempts = [
    await call(env, 'organization_get', { credential: foreign, params: { id: org.id } }),
    await call(env, 'organization_update', { credential: foreign, params: { id: org.id }, body: { name: env.sb.uniqueName('org') } }),
    await call(env, 'users_list', { credential: foreign, params: { org_id: org.id } }),
    await call(env, 'users_get', { credential: foreign, params: { org_id: org.id, id: user.id } }),
    await call(env, 'users_createApiKey', { credential: foreign, params: { org_id: org.id, id: user.id } }),
    await call(env, 'users_delete', { credential: foreign, params: { org_id: org.id, id: user.id } }),
  ];
  for (const rec of attempts) {
    expectRule(rec, 'cross_partner_access', status(rec) === outOfScope && data(rec) === undefined, `another partner's key got ${status(rec)} on ${rec.exchange.request.method} ${rec.exchange.request.path}`, { expected: outOfScope, actual: status(rec) });
  }
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
  const outOfScope = env.target.contracts.choices.out_of_scope_status;
  const attempts = [
    await call(env, 'users_get', { credential: partner, params }),
    await call(env, 'users_update', { credential: partner, params, body: { email: userB.email, role: 'admin' } }),
    await call(env, 'users_createApiKey', { credential: partner, params }),
    await call(env, 'users_delete', { credential: partner, params }),
  ];
  for (const rec of attempts) {
    expectRule(rec, 'cross_org_user_access', status(rec) === outOfScope, `user of another organization reached under ${env.world.org.id}: ${rec.exchange.request.method} got ${status(rec)}`, { expected: outOfScope, actual: status(rec) });
  }
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
  const other = await call(env, 'users_getCurrentOrgUser', { credential: world.userKey, params: { id: userB.id } });
  const outOfScope = env.target.contracts.choices.out_of_scope_status;
  expectRule(other, 'current_org_scope', status(other) === outOfScope, `a user of another organization is readable with this key (${status(other)})`, { expected: outOfScope, actual: status(other) });
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
  expectRule(list, 'owner_org_first', ids(list)[0] === ownerId, `element 0 of the organization list is ${ids(list)[0]}, not the owner organization ${ownerId}`, { expected: ownerId, actual: ids(list)[0] });
  if (!probeDelete) return;
  const del = await call(env, 'organization_delete', { credential: env.target.partner, params: { id: ownerId } });
  const expected = env.target.contracts.choices.owner_org_delete_status;
  expectRule(del, 'owner_org_protected', status(del) === expected, `deleting the owner organization got ${status(del)}`, { expected, actual: status(del) });
  const still = await call(env, 'organization_get', { credential: env.target.partner, params: { id: ownerId } });
  expectRule(still, 'owner_org_protected', ok(still), `the owner organization is gone (${status(still)})`);
}
