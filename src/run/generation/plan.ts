import type { Credential } from '../../target/credentials';
import type { Sandbox, UserRef, World } from '../../target/sandbox';
import type { Operation } from '../../model/spec/load';

/**
 * How to aim a valid request at one operation: the credential, live path ids, and the body
 * fields that must hold run-specific values (unique names and emails under the run prefix, the
 * user's own email on P4). Generated bodies get `fixBody` applied, so generation stays free while
 * requests stay valid and cleanable.
 */
export interface Plan {
  credential: Credential;
  params: Record<string, string>;
  /** A small valid body, for example-based tests. */
  example?: Record<string, unknown>;
  fixBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Records what a 2xx created, so the sandbox deletes it. */
  onCreated?: (data: any) => void;
}

export interface PlanContext {
  sb: Sandbox;
  world: World;
  roleIds: string[];
}

/** Rewrites a generated email under the run prefix, keeping its local part (a `+` may matter). */
export function prefixedEmail(sb: Sandbox, email: unknown): string {
  const [local, domain] = typeof email === 'string' && email.includes('@') ? [email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1)] : ['user', 'example.com'];
  return `${sb.uniqueName('u')}.${local}@${domain}`.toLowerCase();
}

/**
 * Role ids and legacy role names must name roles the target knows: a business rule the schema
 * cannot state. Generated values are mapped onto known ones (deterministically, so shrinking and
 * replay hold); the shape — how many items, which keys — stays generated.
 */
export function knownRoles(body: Record<string, unknown>, roleIds: string[], legacy: string[]): Record<string, unknown> {
  const out = { ...body };
  const pick = <T>(items: T[], seed: unknown) => items[[...String(seed)].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % items.length];
  if (Array.isArray(out.role_ids) && roleIds.length) out.role_ids = out.role_ids.map((r) => (typeof r === 'string' && /^[0-9a-f-]{36}$/i.test(r) ? pick(roleIds, r) : r));
  if (typeof out.role === 'string' && legacy.length) out.role = pick(legacy, out.role);
  return out;
}

const keyUsers = new WeakMap<World, Promise<UserRef>>();

export async function planFor(op: Operation, { sb, world, roleIds }: PlanContext): Promise<Plan> {
  const partner = sb.target.partner;
  const user = world.userKey;
  const roles = roleIds.length ? { role_ids: [roleIds[0]] } : { role: 'admin' };
  const adoptUser = (orgId: string) => (d: any) => d?.id && sb.adopt('user', d.id, `/api/organizations/${orgId}/users/${d.id}`);
  const legacy = sb.target.contracts.invariants.legacy_roles.values;
  const roleFix = (b: Record<string, unknown>) => knownRoles(b, roleIds, legacy);
  const uniqueEmail = (b: Record<string, unknown>) => roleFix({ ...b, email: prefixedEmail(sb, b.email) });

  switch (op.id) {
    case 'organization_getCurrent':
    case 'users_listCurrentOrgUsers':
      return { credential: user, params: {} };
    case 'organization_list':
      return { credential: partner, params: {} };
    case 'organization_create':
      return {
        credential: partner,
        params: {},
        example: { name: sb.uniqueName('org'), sso_domain: 'example.com' },
        fixBody: (b) => ({ ...b, name: sb.uniqueName('org') }),
        onCreated: (d) => d?.id && sb.adopt('organization', d.id, `/api/organizations/${d.id}`),
      };
    case 'organization_get':
      return { credential: partner, params: { id: world.org.id } };
    case 'organization_update':
      return {
        credential: partner,
        params: { id: world.org.id },
        example: { name: sb.uniqueName('org'), client_id: 'oidc-client', client_secret: 'oidc-client-secret', issuer: 'https://idp.example.com', sso_domain: 'example.com' },
        fixBody: (b) => ({ ...b, name: sb.uniqueName('org') }),
      };
    case 'organization_delete':
      return { credential: partner, params: { id: (await sb.createOrg()).id } };
    case 'users_createCurrentOrgUser':
      return { credential: user, params: {}, example: { email: sb.uniqueEmail(), ...roles }, fixBody: uniqueEmail, onCreated: adoptUser(world.org.id) };
    case 'users_getCurrentOrgUser':
      return { credential: user, params: { id: world.user.id } };
    case 'users_updateCurrentOrgUser':
      return { credential: user, params: { id: world.user.id }, example: roles, fixBody: roleFix };
    case 'users_deleteCurrentOrgUser':
      return { credential: user, params: { id: (await sb.createUser(world.org.id)).id } };
    case 'users_list':
      return { credential: partner, params: { org_id: world.org.id } };
    case 'users_create':
      return { credential: partner, params: { org_id: world.org.id }, example: { email: sb.uniqueEmail(), ...roles }, fixBody: uniqueEmail, onCreated: adoptUser(world.org.id) };
    case 'users_get':
      return { credential: partner, params: { org_id: world.org.id, id: world.user.id } };
    case 'users_update':
      return {
        credential: partner,
        params: { org_id: world.org.id, id: world.user.id },
        example: { email: world.user.email, ...roles },
        // P4 requires email; the contract says a different one is ignored, but only the user's own is surely valid.
        fixBody: (b) => roleFix({ ...b, email: world.user.email }),
      };
    case 'users_delete':
      return { credential: partner, params: { org_id: world.org.id, id: (await sb.createUser(world.org.id)).id } };
    case 'users_createApiKey': {
      // Minting with force revokes keys, so never for the world's own key holder.
      let keyUser = keyUsers.get(world);
      if (!keyUser) {
        keyUser = sb.createUser(world.org.id);
        keyUsers.set(world, keyUser);
      }
      const u = await keyUser;
      return { credential: partner, params: { org_id: u.orgId, id: u.id } };
    }
    default:
      throw new Error(`no request plan for operation ${op.id}; add one in src/run/generation/plan.ts`);
  }
}
