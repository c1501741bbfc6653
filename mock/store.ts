import { createHash, randomBytes, randomUUID } from 'node:crypto';

export interface Sso {
  client_id?: string;
  client_secret?: string;
  issuer?: string;
  sso_domain?: string;
  sso_org_id?: string;
}

export interface Org {
  id: string;
  seq: number;
  name: string;
  partnerId: string;
  owner: boolean;
  sso: Sso;
}

export interface User {
  id: string;
  email: string;
  orgId: string;
  role_ids: string[] | null;
  role?: string;
}

export interface Role {
  id: string;
  orgId: string;
  name: string;
  system: boolean;
}

export interface PolicyAction {
  action: string;
  role_ids: string[] | null;
}

export interface Policy {
  id: string;
  orgId: string;
  name: string;
  system: boolean;
  actions: PolicyAction[];
}

export interface Partner {
  id: string;
  key: string;
  /** On-premises: the deployment key, which acts as this partner (the main partner's only). */
  deploymentKey?: string;
  ownerOrgId: string;
  childOrgId: string;
}

/**
 * What every new organization holds from the start: its built-in roles (ids of its own, a guess:
 * no source says whether they are shared across organizations) and its built-in policies.
 */
export interface BuiltIns {
  roles: string[];
  /** Policy name -> action -> names of the built-in roles bound to it. */
  policies: Record<string, Record<string, string[]>>;
}

export interface MockSnapshot {
  /** A digest of every instance that was there before any client came: it changes if any of them does. */
  preexisting: string;
  organizations: number;
  users: number;
  roles: number;
  policies: number;
  activeKeys: number;
  organizationIds: string[];
  userIds: string[];
  roleIds: string[];
  policyIds: string[];
  /** Live instances of other resources (mock/generic.ts), by kind. */
  other: Record<string, number>;
}

/** The mock's whole state, in memory. */
export class Store {
  readonly partners = new Map<string, Partner>();
  readonly orgs = new Map<string, Org>();
  readonly users = new Map<string, User>();
  readonly roles = new Map<string, Role>();
  readonly policies = new Map<string, Policy>();
  /** User API key value -> its user (revoked keys are deleted). */
  readonly userKeys = new Map<string, string>();
  /** Instances of resources the mock has no rules of its own for (mock/generic.ts), by kind and id. */
  readonly generic = new Map<string, Map<string, { data: Record<string, unknown>; orgId?: string; deleted: boolean }>>();
  private seq = 0;
  /** Ids of what was there before any client came (seeds, a crowded partner). */
  private preexisting: string[] = [];

  constructor(private readonly builtIns: BuiltIns) {}

  /** Marks everything there now as pre-existing: what no run created, and none may touch. */
  sealSeeds(): void {
    this.preexisting = [...this.orgs.keys(), ...this.users.keys(), ...this.roles.keys(), ...this.policies.keys()];
  }

  addOrg(partnerId: string, name: string, owner = false, sso: Sso = {}): Org {
    const org: Org = { id: randomUUID(), seq: ++this.seq, name, partnerId, owner, sso };
    this.orgs.set(org.id, org);
    const byName = new Map(this.builtIns.roles.map((n) => [n, this.addRole(org.id, n, true)]));
    for (const [name, actions] of Object.entries(this.builtIns.policies)) {
      this.addPolicy(org.id, name, Object.entries(actions).map(([action, roles]) => ({ action, role_ids: roles.map((r) => byName.get(r)!.id) })), true);
    }
    return org;
  }

  /** A user not yet stored (a create stores it: see the mock's persistUser). */
  newUser(orgId: string, email: string, role_ids: string[] | null, role?: string): User {
    return { id: randomUUID(), email, orgId, role_ids, ...(role ? { role } : {}) };
  }

  addUser(orgId: string, email: string, role_ids: string[] | null, role?: string): User {
    const user = this.newUser(orgId, email, role_ids, role);
    this.users.set(user.id, user);
    return user;
  }

  addRole(orgId: string, name: string, system = false): Role {
    const role: Role = { id: randomUUID(), orgId, name, system };
    this.roles.set(role.id, role);
    return role;
  }

  addPolicy(orgId: string, name: string, actions: PolicyAction[], system = false): Policy {
    const policy: Policy = { id: randomUUID(), orgId, name, system, actions };
    this.policies.set(policy.id, policy);
    return policy;
  }

  mintKey(userId: string): string {
    const key = `poly_user_${randomBytes(18).toString('hex')}`;
    this.userKeys.set(key, userId);
    return key;
  }

  revokeKeys(userId: string): void {
    for (const [k, u] of this.userKeys) if (u === userId) this.userKeys.delete(k);
  }

  deleteUser(id: string): void {
    this.users.delete(id);
    this.revokeKeys(id);
  }

  deleteOrg(id: string): void {
    for (const u of [...this.users.values()]) if (u.orgId === id) this.deleteUser(u.id);
    for (const r of [...this.roles.values()]) if (r.orgId === id) this.roles.delete(r.id);
    for (const p of [...this.policies.values()]) if (p.orgId === id) this.policies.delete(p.id);
    this.orgs.delete(id);
  }

  orgsOf(partnerId: string): Org[] {
    return [...this.orgs.values()].filter((o) => o.partnerId === partnerId).sort((a, b) => Number(b.owner) - Number(a.owner) || a.seq - b.seq);
  }

  usersOf(orgId: string): User[] {
    return [...this.users.values()].filter((u) => u.orgId === orgId);
  }

  rolesOf(orgId: string): Role[] {
    return [...this.roles.values()].filter((r) => r.orgId === orgId);
  }

  policiesOf(orgId: string): Policy[] {
    return [...this.policies.values()].filter((p) => p.orgId === orgId);
  }

  snapshot(): MockSnapshot {
    const state = this.preexisting.map((id) => JSON.stringify(this.orgs.get(id) ?? this.users.get(id) ?? this.roles.get(id) ?? this.policies.get(id) ?? `gone ${id}`));
    return {
      preexisting: createHash('sha1').update(state.join('\n')).digest('hex'),
      organizations: this.orgs.size,
      users: this.users.size,
      roles: this.roles.size,
      policies: this.policies.size,
      activeKeys: this.userKeys.size,
      other: Object.fromEntries([...this.generic].map(([k, m]) => [k, [...m.values()].filter((x) => !x.deleted && (!x.orgId || this.orgs.has(x.orgId))).length]).filter(([, n]) => n)),
      organizationIds: [...this.orgs.keys()].sort(),
      userIds: [...this.users.keys()].sort(),
      roleIds: [...this.roles.keys()].sort(),
      policyIds: [...this.policies.keys()].sort(),
    };
  }
}

export interface MockSeeds {
  partners: { main: Partner; foreign: Partner };
  users: { main: string; foreign: string };
  /** The main partner's child organization's built-in roles, by name. */
  roles: Record<string, string>;
}

/**
 * Two partners, each with an owner organization and a child organization holding two users; with
 * `crowd`, the main partner also holds that many organizations of customers, each with users.
 */
export function seed(store: Store, keys: { partner: string; foreignPartner: string; deployment?: string; crowd?: { organizations: number; users: number } }): MockSeeds {
  const mk = (key: string, label: string, deploymentKey?: string) => {
    const id = randomUUID();
    const owner = store.addOrg(id, `${label} (owner)`, true);
    const child = store.addOrg(id, `${label} child`);
    const partner: Partner = { id, key, ...(deploymentKey ? { deploymentKey } : {}), ownerOrgId: owner.id, childOrgId: child.id };
    store.partners.set(id, partner);
    const domain = `${label.toLowerCase().replace(/\W+/g, '-')}.example.com`;
    const [first, second] = store.rolesOf(child.id);
    const user = store.addUser(child.id, `seed.user@${domain}`, [first.id]);
    store.addUser(child.id, `seed.member@${domain}`, second ? [second.id] : null);
    return { partner, user, roles: Object.fromEntries(store.rolesOf(child.id).map((r) => [r.name, r.id])) };
  };
  const main = mk(keys.partner, 'Main Partner', keys.deployment);
  const foreign = mk(keys.foreignPartner, 'Foreign Partner');
  for (let i = 1; i <= (keys.crowd?.organizations ?? 0); i++) {
    const org = store.addOrg(main.partner.id, `Customer ${i}`);
    const [role] = store.rolesOf(org.id);
    for (let j = 1; j <= keys.crowd!.users; j++) store.addUser(org.id, `person${j}@customer${i}.example.com`, j % 2 ? [role.id] : null, j % 2 ? undefined : 'user');
  }
  store.sealSeeds();
  return { partners: { main: main.partner, foreign: foreign.partner }, users: { main: main.user.id, foreign: foreign.user.id }, roles: main.roles };
}
