import { expectRule } from '../../checks/stateful';
import { discoverRoleIds } from '../roles';
import type { SuiteEnv } from '../env';
import { adoptCreatedUser, answered, call, data, ids, ok, status } from './steps';
import { citeInvariant } from '../../model/contracts';

const SSO = { client_id: 'cid-1', client_secret: 'oidc-secret-1', issuer: 'https://idp.example.com', sso_domain: 'example.com', sso_org_id: 'wos_1' };

/**
 * Organization lifecycle: create -> get -> listed -> update (SSO replaced whole) -> duplicate
 * name 409 -> delete -> get 404 -> no longer listed.
 */
export async function organizationLifecycle(env: SuiteEnv): Promise<void> {
  const partner = env.target.partner;
  const name = env.sb.uniqueName('org');
  const created = await call(env, 'organization_create', { credential: partner, body: { name, ...SSO } }, { kind: 'positive' });
  if (!ok(created)) return;
  const org = data(created);
  env.sb.adopt('organization', org.id, `/api/organizations/${org.id}`);

  const got = await call(env, 'organization_get', { credential: partner, params: { id: org.id } });
  expectRule(got, 'ensure_resource_availability', ok(got) && data(got)?.name === name, `created organization ${org.id} is not retrievable with its name (got ${status(got)})`);
  const listed = await call(env, 'organization_list', { credential: partner });
  expectRule(listed, 'ensure_resource_availability', ids(listed).includes(org.id), `created organization ${org.id} is not listed`);

  // SSO/OIDC settings are replaced wholesale: a PUT without them clears them.
  const renamed = env.sb.uniqueName('org');
  const upd = await call(env, 'organization_update', { credential: partner, params: { id: org.id }, body: { name: renamed, sso_domain: 'other.example.com' } }, { kind: 'positive' });
  if (ok(upd)) {
    const after = await call(env, 'organization_get', { credential: partner, params: { id: org.id } });
    const d = data(after) ?? {};
    expectRule(after, 'update_applied', d.name === renamed && d.sso_domain === 'other.example.com', `update not applied: name ${d.name}, sso_domain ${d.sso_domain}`, { expected: { name: renamed, sso_domain: 'other.example.com' }, actual: d });
    expectRule(after, 'update_applied', d.issuer === undefined && d.sso_org_id === undefined, 'SSO settings were merged, not replaced: issuer/sso_org_id survived a PUT without them', { actual: { issuer: d.issuer, sso_org_id: d.sso_org_id }, ...citeInvariant(env.target.contracts.invariants, 'sso_replaced_whole') });
  }

  const dup = await call(env, 'organization_create', { credential: partner, body: { name: renamed } });
  if (ok(dup)) env.sb.adopt('organization', data(dup).id, `/api/organizations/${data(dup).id}`);
  answered(env, dup, 'unique_org_name', 'duplicate_org_name_status', status(dup), `a second organization named like an existing one got ${status(dup)}`);

  const del = await call(env, 'organization_delete', { credential: partner, params: { id: org.id } }, { kind: 'positive' });
  if (!ok(del)) return;
  const gone = await call(env, 'organization_get', { credential: partner, params: { id: org.id } });
  answered(env, gone, 'use_after_free', 'not_found_status', status(gone), `deleted organization ${org.id} answers ${status(gone)}`);
  const relisted = await call(env, 'organization_list', { credential: partner });
  expectRule(relisted, 'use_after_free', !ids(relisted).includes(org.id), `deleted organization ${org.id} is still listed`);
}

/**
 * User lifecycle on the partner path or the current-org path: create -> get -> listed -> same
 * email again gets 409 -> update roles (on the partner path with another email, which the
 * contract says is ignored) -> get reflects it -> delete -> get 404 -> no longer listed.
 */
export async function userLifecycle(env: SuiteEnv, path: 'partner' | 'current'): Promise<void> {
  const { world } = env;
  const partner = path === 'partner';
  const credential = partner ? env.target.partner : world.userKey;
  const ops = partner
    ? { create: 'users_create', get: 'users_get', list: 'users_list', update: 'users_update', del: 'users_delete' }
    : { create: 'users_createCurrentOrgUser', get: 'users_getCurrentOrgUser', list: 'users_listCurrentOrgUsers', update: 'users_updateCurrentOrgUser', del: 'users_deleteCurrentOrgUser' };
  const params = (id?: string) => ({ ...(partner ? { org_id: world.org.id } : {}), ...(id ? { id } : {}) });
  const roles = await discoverRoleIds(env.target);
  const email = env.sb.uniqueEmail();

  // Created without roles, so the role update below is a visible change.
  const created = await call(env, ops.create, { credential, params: params(), body: { email } }, { kind: 'positive' });
  if (!ok(created)) return;
  const user = data(created);
  adoptCreatedUser(env, world.org.id, created);

  const got = await call(env, ops.get, { credential, params: params(user.id) });
  expectRule(got, 'ensure_resource_availability', ok(got) && data(got)?.email === email, `created user ${user.id} is not retrievable with its email (got ${status(got)})`);
  const listed = await call(env, ops.list, { credential, params: params() });
  expectRule(listed, 'ensure_resource_availability', ids(listed).includes(user.id), `created user ${user.id} is not listed`);

  // A twin is refused, or (where the profile allows it) answered with the user already there.
  const twin = await call(env, ops.create, { credential, params: params(), body: { email } });
  adoptCreatedUser(env, world.org.id, twin);
  const twinAnswer = ok(twin) && data(twin)?.id === user.id ? 'existing' : status(twin);
  answered(env, twin, 'unique_user_email', 'duplicate_user_email', twinAnswer, `a second user with the email ${email} got ${status(twin)}${ok(twin) ? ` (user ${data(twin)?.id})` : ''}`);

  const newRoles = roles.slice(0, 1);
  const body = newRoles.length ? { role_ids: newRoles } : { role: 'admin' };
  // The partner route requires an email; a different one shows what the server does with it.
  const otherEmail = env.sb.uniqueEmail('other');
  const upd = await call(env, ops.update, { credential, params: params(user.id), body: partner ? { email: otherEmail, ...body } : body }, { kind: 'positive' });
  if (ok(upd)) {
    const after = await call(env, ops.get, { credential, params: params(user.id) });
    const d = data(after) ?? {};
    const applied = newRoles.length ? JSON.stringify(d.role_ids) === JSON.stringify(newRoles) : d.role === 'admin';
    expectRule(after, 'update_applied', applied, `role update not reflected by a later get`, { expected: body, actual: { role_ids: d.role_ids, role: d.role } });
    if (partner) {
      expectRule(after, 'update_applied', d.email === email, `after an update sending ${otherEmail} the email is ${d.email}, not the user's own ${email}`, { expected: email, actual: d.email, ...citeInvariant(env.target.contracts.invariants, 'update_user_email') });
    }
  }

  const del = await call(env, ops.del, { credential, params: params(user.id) }, { kind: 'positive' });
  if (!ok(del)) return;
  const gone = await call(env, ops.get, { credential, params: params(user.id) });
  answered(env, gone, 'use_after_free', 'not_found_status', status(gone), `deleted user ${user.id} answers ${status(gone)}`);
  const relisted = await call(env, ops.list, { credential, params: params() });
  expectRule(relisted, 'use_after_free', !ids(relisted).includes(user.id), `deleted user ${user.id} is still listed`);
}
