import type { Operation } from '../src/model/spec/load';
import type { Behaviour } from './behaviour';
import type { Org, Policy, Role, Sso, Store, User } from './store';
import { type Json, MockError, must, partnerLevel, type Principal, refuse, type Result } from './types';

/** What a handler gets: the request, decoded, and the behaviour that decides. */
export interface Call {
  op: Operation;
  principal: Principal;
  params: Record<string, string>;
  url: URL;
  body: Json;
  b: Behaviour;
  store: Store;
}

export type Handler = (c: Call) => Result;

const partnerId = (p: Principal) => (partnerLevel(p) ? p.partnerId : '');

function currentOrg(c: Call): Org {
  const org = partnerLevel(c.principal) ? undefined : c.store.orgs.get(c.principal.orgId);
  if (!org) throw new MockError(404, 'not_found', 'organization not found');
  return org;
}

function ssoOf(body: Json): Sso {
  const out: Sso = {};
  for (const k of ['client_id', 'client_secret', 'issuer', 'sso_domain', 'sso_org_id'] as const) if (typeof body[k] === 'string') out[k] = body[k] as string;
  return out;
}

const ok = (data: unknown, status = 200): Result => ({ status, body: { data } });

function userList(c: Call, users: User[]): Result {
  return ok(c.b.renderUserList(users.map((u) => c.b.renderUser(u))));
}

function createUser(c: Call, org: Org): Result {
  const email = typeof c.body.email === 'string' ? c.body.email.toLowerCase() : `no-email-${c.store.users.size + 1}@unknown.invalid`;
  must(c.b.beforeCreateUser(email));
  const target = c.b.createTarget(org, c.body);
  const existing = c.store.usersOf(target.id).find((u) => u.email === email);
  const twin = existing && must(c.b.duplicateUser(existing));
  if (twin) return ok(c.b.renderUser(twin));
  const { role_ids, role } = must(c.b.roles(target, c.body));
  const user = c.store.newUser(target.id, email, role_ids, role ?? (role_ids ? undefined : 'user'));
  c.b.persistUser(user, c.op);
  return ok(c.b.renderUser(user), c.b.createdStatus(c.op));
}

function updateRoles(c: Call, user: User): User {
  if (c.body.role_ids === undefined && c.body.role === undefined) return user;
  const roles = must(c.b.roles(c.store.orgs.get(user.orgId)!, c.body));
  // role_ids replace the legacy role; both are answered, as the docs examples show.
  return c.b.storeRoles(user, { ...user, ...roles });
}

function deleteUser(c: Call, user: User): Result {
  c.b.deleteUser(user);
  return ok(c.b.renderUser(user));
}

function mintKey(c: Call, user: User): Result {
  const force = c.url.searchParams.get('force') === 'true';
  if (c.b.revokesOnMint(force)) c.store.revokeKeys(user.id);
  return ok(c.b.renderKey(c.store.mintKey(user.id)), c.b.createdStatus(c.op));
}

function roleIn(c: Call): Role {
  return must(c.b.roleIn(currentOrg(c), c.params.id));
}

function policyIn(c: Call): Policy {
  return must(c.b.policyIn(currentOrg(c), c.params.id));
}

/** A built-in is protected as the target answers; removal may be refused (a role still in use). */
function deletePermission<T extends Role | Policy>(c: Call, kind: 'role' | 'policy', item: T, remove: (item: T) => MockError | undefined): Result {
  if (item.system) refuse(c.b.protectBuiltIn(kind, 'delete'));
  refuse(remove(item));
  return { status: c.b.permissionsDeleteStatus() };
}

/** A role create or update: the organization it lands in, a name it may take. */
function writeRole(c: Call, existing?: Role): Result {
  if (existing?.system) refuse(c.b.protectBuiltIn('role', 'update'));
  const org = must(c.b.permissionsTarget(currentOrg(c), c.body));
  const name = c.body.name as string;
  refuse(c.b.duplicatePermissionName(org, 'role', name, existing?.id));
  const role = existing ? c.b.storeRole({ ...existing, name }) : c.store.addRole(org.id, name);
  return ok(c.b.renderRole(role));
}

/** A policy create or update: its bindings replaced whole. */
function writePolicy(c: Call, existing?: Policy): Result {
  if (existing?.system) refuse(c.b.protectBuiltIn('policy', 'update'));
  const org = must(c.b.permissionsTarget(currentOrg(c), c.body));
  const name = c.body.name as string;
  refuse(c.b.duplicatePermissionName(org, 'policy', name, existing?.id));
  const actions = must(c.b.policyActions(org, c.body.policy_actions));
  const policy = existing ? c.b.storePolicy({ ...existing, name, actions }) : c.store.addPolicy(org.id, name, actions);
  return ok(c.b.renderPolicy(policy));
}

/** The rules of the API, one handler per operation. */
export const HANDLERS: Record<string, Handler> = {
  organization_getCurrent: (c) => ok(c.b.renderOrg(currentOrg(c))),
  organization_list: (c) => ok(c.b.orgsListed(partnerId(c.principal)).map((o) => c.b.renderOrg(o))),
  organization_create: (c) => {
    const name = c.body.name as string;
    refuse(c.b.beforeCreateOrg());
    must(c.b.duplicateOrgName(partnerId(c.principal), name));
    return ok(c.b.renderOrg(c.store.addOrg(partnerId(c.principal), name, false, ssoOf(c.body))), c.b.createdStatus(c.op));
  },
  organization_get: (c) => ok(c.b.renderOrg(must(c.b.partnerOrg(c.principal, c.params.id)))),
  organization_update: (c) => {
    const org = must(c.b.partnerOrg(c.principal, c.params.id));
    must(c.b.duplicateOrgName(org.partnerId, c.body.name as string, org.id));
    org.name = c.body.name as string;
    // SSO/OIDC settings are replaced wholesale: what the PUT leaves out is cleared.
    org.sso = c.b.updatedSso(org.sso, ssoOf(c.body));
    return ok(c.b.renderOrg(org));
  },
  organization_delete: (c) => {
    const org = must(c.b.partnerOrg(c.principal, c.params.id));
    if (org.owner) must(c.b.protectOwner(org));
    c.b.removeOrg(org);
    return { status: c.b.orgDeleteStatus() };
  },

  users_listCurrentOrgUsers: (c) => userList(c, c.b.currentOrgUsers(currentOrg(c))),
  users_list: (c) => userList(c, c.store.usersOf(must(c.b.partnerOrg(c.principal, c.params.org_id)).id)),
  users_createCurrentOrgUser: (c) => createUser(c, currentOrg(c)),
  users_create: (c) => createUser(c, must(c.b.partnerOrg(c.principal, c.params.org_id))),
  users_getCurrentOrgUser: (c) => ok(c.b.renderUser(must(c.b.userIn(currentOrg(c), c.params.id)))),
  users_get: (c) => ok(c.b.renderUser(must(c.b.userIn(must(c.b.partnerOrg(c.principal, c.params.org_id)), c.params.id)))),
  users_updateCurrentOrgUser: (c) => ok(c.b.renderUser(updateRoles(c, must(c.b.userIn(currentOrg(c), c.params.id))))),
  users_update: (c) => {
    const user = must(c.b.userIn(must(c.b.partnerOrg(c.principal, c.params.org_id)), c.params.id));
    // The email the route requires is not what it changes.
    const email = c.b.updatedEmail(user, c.body.email as string);
    const kept = email === user.email ? user : c.b.storeRoles(user, { ...user, email });
    return ok(c.b.renderUser(updateRoles(c, kept)));
  },
  users_deleteCurrentOrgUser: (c) => deleteUser(c, must(c.b.userIn(currentOrg(c), c.params.id))),
  users_delete: (c) => deleteUser(c, must(c.b.userIn(must(c.b.partnerOrg(c.principal, c.params.org_id)), c.params.id))),
  users_createApiKey: (c) => mintKey(c, must(c.b.userIn(must(c.b.partnerOrg(c.principal, c.params.org_id)), c.params.id))),

  roles_list: (c) => ok(c.b.rolesListed(currentOrg(c), c.principal).map((r) => c.b.renderRole(r))),
  roles_create: (c) => writeRole(c),
  roles_get: (c) => ok(c.b.renderRole(roleIn(c))),
  roles_update: (c) => writeRole(c, roleIn(c)),
  roles_delete: (c) => deletePermission(c, 'role', roleIn(c), (role) => c.b.removeRole(role)),
  policies_list: (c) => ok(c.b.policiesListed(currentOrg(c)).map((p) => c.b.renderPolicy(p))),
  policies_create: (c) => writePolicy(c),
  policies_get: (c) => ok(c.b.renderPolicy(policyIn(c))),
  policies_update: (c) => writePolicy(c, policyIn(c)),
  policies_delete: (c) => deletePermission(c, 'policy', policyIn(c), (policy) => c.b.removePolicy(policy)),

  identity_get: (c) => ok(c.b.identity(c.principal)),
};
