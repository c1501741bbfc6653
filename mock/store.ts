import { randomBytes, randomUUID } from 'node:crypto';

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

export interface Partner {
  id: string;
  key: string;
  ownerOrgId: string;
  childOrgId: string;
}

/** Fixed role catalogue: role ids are the same in every organization. */
export const ROLES: Record<string, string> = {
  admin: '3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f50',
  user: '7a9b8c7d-1e2f-4a3b-8c4d-5e6f7a8b9c01',
  viewer: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e62',
};

export interface MockSnapshot {
  organizations: number;
  users: number;
  activeKeys: number;
  organizationIds: string[];
  userIds: string[];
}

/** The mock's whole state, in memory. */
export class Store {
  readonly partners = new Map<string, Partner>();
  readonly orgs = new Map<string, Org>();
  readonly users = new Map<string, User>();
  /** User API key value -> its user (revoked keys are deleted). */
  readonly userKeys = new Map<string, string>();
  /** Organization-scoped (Basic) key -> its organization. */
  readonly orgKeys = new Map<string, string>();
  readonly roleIds = new Set(Object.values(ROLES));
  private seq = 0;

  addOrg(partnerId: string, name: string, owner = false, sso: Sso = {}): Org {
    const org: Org = { id: randomUUID(), seq: ++this.seq, name, partnerId, owner, sso };
    this.orgs.set(org.id, org);
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
    for (const [k, o] of this.orgKeys) if (o === id) this.orgKeys.delete(k);
    this.orgs.delete(id);
  }

  orgsOf(partnerId: string): Org[] {
    return [...this.orgs.values()].filter((o) => o.partnerId === partnerId).sort((a, b) => Number(b.owner) - Number(a.owner) || a.seq - b.seq);
  }

  usersOf(orgId: string): User[] {
    return [...this.users.values()].filter((u) => u.orgId === orgId);
  }

  snapshot(): MockSnapshot {
    return {
      organizations: this.orgs.size,
      users: this.users.size,
      activeKeys: this.userKeys.size,
      organizationIds: [...this.orgs.keys()].sort(),
      userIds: [...this.users.keys()].sort(),
    };
  }
}

export interface MockSeeds {
  partners: { main: Partner; foreign: Partner };
  users: { main: string; foreign: string };
  orgKey: string;
  roles: Record<string, string>;
}

/** Two partners, each with an owner organization and a child organization holding one user. */
export function seed(store: Store, keys: { partner: string; foreignPartner: string; org: string }): MockSeeds {
  const mk = (key: string, label: string) => {
    const id = randomUUID();
    const owner = store.addOrg(id, `${label} (owner)`, true);
    const child = store.addOrg(id, `${label} child`);
    const partner: Partner = { id, key, ownerOrgId: owner.id, childOrgId: child.id };
    store.partners.set(id, partner);
    const domain = `${label.toLowerCase().replace(/\W+/g, '-')}.example.com`;
    const user = store.addUser(child.id, `seed.user@${domain}`, [ROLES.admin]);
    store.addUser(child.id, `seed.viewer@${domain}`, [ROLES.viewer]);
    return { partner, user };
  };
  const main = mk(keys.partner, 'Main Partner');
  const foreign = mk(keys.foreignPartner, 'Foreign Partner');
  store.orgKeys.set(keys.org, main.partner.childOrgId);
  return { partners: { main: main.partner, foreign: foreign.partner }, users: { main: main.user.id, foreign: foreign.user.id }, orgKey: keys.org, roles: { ...ROLES } };
}
