import type { Contracts } from '../model/contracts';
import type { Operation } from '../model/spec/load';
import { type Credential, credential, NO_CREDENTIAL } from './credentials';
import type { Exchange } from './exchange';
import type { HttpRequest } from './http';
import { buildRequest, type RequestParts, type Target } from './target';

export interface OrgRef { id: string; name: string }
export interface UserRef { id: string; email: string; orgId: string }

/** Thrown when the run cannot set up what a test needs; the message says which call failed. */
export class SetupError extends Error {}

/**
 * Sends a setup request and returns the exchange. The run layer judges it on the way (setup
 * traffic is checked like any other), which the sandbox needs to know nothing about.
 */
export type SetupSender = (op: Operation, request: HttpRequest) => Promise<Exchange>;

/**
 * Resources one test works on, all created by the run under its run-id prefix and recorded in the
 * ledger before use, deleted again by `dispose` (newest first). Nothing pre-existing is touched.
 */
export class Sandbox {
  private static counter = 0;
  private readonly created: string[] = [];

  constructor(
    readonly target: Target,
    private readonly worker: string,
    private readonly send: SetupSender,
  ) {}

  /** A name unique to this run, worker and call: `ct-1a2b3c-w0-7`. */
  uniqueName(kind: string): string {
    return `${this.target.config.runId}-w${this.worker}-${kind}${++Sandbox.counter}`;
  }

  uniqueEmail(local = 'user'): string {
    return `${this.uniqueName(local)}@example.com`;
  }

  op(id: string): Operation {
    const op = this.target.spec.byId.get(id);
    if (!op) throw new SetupError(`the spec has no operation ${id}`);
    return op;
  }

  /** Sends a setup request as the partner and insists on a 2xx. */
  async setup(opId: string, parts: RequestParts, what: string): Promise<any> {
    const op = this.op(opId);
    if (this.target.config.readOnly && op.method !== 'get') throw new SetupError(`POLYTOMIC_READ_ONLY=1: not ${what}`);
    const { response } = await this.send(op, buildRequest(this.target, op, { credential: this.target.partner, ...parts }));
    const { status, json } = response;
    if (status < 200 || status >= 300) {
      throw new SetupError(`setup: ${what} (${op.method.toUpperCase()} ${op.path}) got ${status}: ${(json as any)?.message ?? response.text.slice(0, 200)}`);
    }
    return (json as any)?.data;
  }

  private track(kind: 'organization' | 'user', id: string, deletePath: string): void {
    // A replayed answer names what an earlier one created: it is recorded once.
    if (this.created.includes(deletePath)) return;
    this.target.ledger.created({ kind, id, deletePath, credential: 'partner' });
    this.created.push(deletePath);
  }

  async createOrg(body: Record<string, unknown> = {}): Promise<OrgRef> {
    const name = this.uniqueName('org');
    const data = await this.setup('organization_create', { body: { name, ...body } }, 'creating an organization');
    this.track('organization', data.id, `/api/organizations/${data.id}`);
    return { id: data.id, name: data.name ?? name };
  }

  async createUser(orgId: string, body: Record<string, unknown> = {}): Promise<UserRef> {
    const email = this.uniqueEmail();
    const data = await this.setup('users_create', { params: { org_id: orgId }, body: { email, ...body } }, 'creating a user');
    this.track('user', data.id, `/api/organizations/${orgId}/users/${data.id}`);
    return { id: data.id, email: data.email ?? email, orgId };
  }

  /** Mints a key for a user the run created and returns it as a user credential. */
  async mintKey(user: UserRef, force = false): Promise<Credential> {
    const data = await this.setup(
      'users_createApiKey',
      { params: { org_id: user.orgId, id: user.id }, ...(force ? { query: { force: 'true' } } : {}) },
      'minting a user API key',
    );
    if (typeof data?.value !== 'string') throw new SetupError('setup: minting a user API key returned no key value');
    return credential('user', data.value, 'USER_KEY');
  }

  /** Records a resource a test created through the API itself, so it is cleaned up too. */
  adopt(kind: 'organization' | 'user', id: string, deletePath: string): void {
    this.track(kind, id, deletePath);
  }

  /** Deletes everything this sandbox created, newest first; already-gone resources are fine. */
  async dispose(): Promise<void> {
    const errors: string[] = [];
    const gone = goneStatuses(this.target.contracts);
    for (const path of this.created.reverse()) {
      const req = buildRequest(this.target, { method: 'delete', path }, { credential: this.target.partner });
      try {
        const { response } = await this.target.client.send(req);
        if ((response.status >= 200 && response.status < 300) || gone.has(response.status)) this.target.ledger.deleted(path);
        else errors.push(`${path}: ${response.status}`);
      } catch (e: any) {
        errors.push(`${path}: ${e.message}`);
      }
    }
    this.created.length = 0;
    if (errors.length) throw new SetupError(`cleanup left resources behind (global teardown retries them): ${errors.join('; ')}`);
  }
}

/** Statuses that say a resource is gone already: 404, and the target's not-found answer. */
export function goneStatuses(contracts: Contracts): Set<number> {
  return new Set([404, ...contracts.profile.statuses('not_found_status')]);
}

/** A ready-made world for one test: an organization, a user in it, and that user's API key. */
export interface World {
  org: OrgRef;
  user: UserRef;
  userKey: Credential;
}

/**
 * The read-only world: an existing organization with a user, found by listing, and the
 * organization-scoped key (if configured) as the non-partner credential. Nothing is created.
 */
export async function discoverWorld(sb: Sandbox): Promise<World> {
  const orgs = await sb.setup('organization_list', {}, 'listing organizations');
  for (const org of Array.isArray(orgs) ? orgs : []) {
    const users = await sb.setup('users_list', { params: { org_id: org.id } }, 'listing users');
    if (Array.isArray(users) && users.length) {
      return {
        org: { id: org.id, name: org.name },
        user: { id: users[0].id, email: users[0].email, orgId: org.id },
        userKey: sb.target.orgBasic ?? NO_CREDENTIAL,
      };
    }
  }
  throw new SetupError('POLYTOMIC_READ_ONLY=1: no organization with a user to read');
}

export async function createWorld(sb: Sandbox): Promise<World> {
  const org = await sb.createOrg();
  const user = await sb.createUser(org.id);
  const userKey = await sb.mintKey(user);
  return { org, user, userKey };
}
