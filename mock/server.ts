import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { type Choices, loadContracts } from '../src/model/contracts';
import { UserError } from '../src/model/errors';
import { UUID } from '../src/model/formats';
import { loadSpec, matchPath, type Operation, type Spec } from '../src/model/spec/load';
import { type Validators, validatorsFor } from '../src/model/validators';
import { parseFaults } from './faults';
import { type MockSeeds, type MockSnapshot, type Org, ROLE_IDS, seed, Store, type User } from './store';

export type { MockSeeds, MockSnapshot } from './store';

export interface MockOptions {
  port?: number;
  host?: string;
  partnerKey?: string;
  foreignPartnerKey?: string;
  /** Organization-scoped key of the main partner's child organization, sent as Basic base64("<key>:"). */
  orgKey?: string;
  faults?: string[];
  choices?: Choices;
  /** Added to every request, after its Idempotency-Key is registered in flight. */
  latencyMs?: number;
  rateLimit?: { rps: number; burst?: number };
  /** Delay of the latency faults. */
  faultDelayMs?: number;
}

export interface RunningMock {
  url: string;
  port: number;
  seeds: MockSeeds;
  snapshot(): MockSnapshot;
  close(): Promise<void>;
}

export const DEFAULT_KEYS = { partner: 'poly_partner_main_key', foreignPartner: 'poly_partner_foreign_key', org: 'poly_org_seed_key' };
const SPEC_FILE = resolve(__dirname, '../specs/polytomic-2025-09-18.yaml');
const STATUS_TEXT = http.STATUS_CODES;

class HttpError extends Error {
  constructor(readonly status: number, readonly key: string, message: string, readonly metadata?: Record<string, unknown>) {
    super(message);
  }
}

type Principal =
  | { kind: 'partner'; partnerId: string }
  | { kind: 'user'; orgId: string; userId: string }
  | { kind: 'org_basic'; orgId: string };

interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Sent {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The API itself: request pipeline, rules and rendering, all in memory. */
class MockApi {
  private readonly idempotency = new Map<string, { fingerprint: string; done?: Sent }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly spec: Spec,
    private readonly validators: Validators,
    private readonly store: Store,
    private readonly seeds: MockSeeds,
    private readonly choices: Choices,
    private readonly faults: Set<string>,
    private readonly opts: MockOptions,
  ) {}

  private has(fault: string): boolean {
    return this.faults.has(fault);
  }

  /** The version that serves a request (choices.default_version, supported_versions); undefined: unsupported. */
  private served(requested: string | undefined): string | undefined {
    const { default_version, supported_versions } = this.choices;
    if (requested === undefined) return this.has('default_version_oldest') ? supported_versions[supported_versions.length - 1] : default_version;
    if (supported_versions.includes(requested) && !(this.has('older_version_rejected') && requested !== default_version)) return requested;
    return this.has('unsupported_version_accepted') ? default_version : undefined;
  }

  async handle(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: string): Promise<Sent> {
    const requested = headerOf(headers, 'x-polytomic-version');
    const version = this.served(requested);
    try {
      if (version === undefined) {
        throw new HttpError(this.choices.unsupported_version_status, 'unsupported_version', `X-Polytomic-Version ${requested} is not supported; use one of ${this.choices.supported_versions.join(', ')}`);
      }
      return await this.route(method, url, headers, raw, version);
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError(500, 'internal', 'internal error');
      const allow: Record<string, string> = err.status === 405 && !this.has('method_not_allowed_without_allow') ? { Allow: (err.metadata?.allow as string) ?? '' } : {};
      return this.render({ status: err.status, body: this.errorBody(err), headers: allow }, version ?? this.choices.default_version);
    }
  }

  private async route(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: string, version: string): Promise<Sent> {
    const match = matchPath(this.spec, url.pathname);
    if (!match) throw new HttpError(404, 'not_found', `no route ${url.pathname}`);
    const declared = this.spec.methodsByPath.get(match.path) ?? [];
    let verb = method.toLowerCase();
    if (verb === 'patch' && this.has('patch_update_allowed') && declared.includes('put')) verb = 'put';
    const op = this.spec.operations.find((o) => o.path === match.path && o.method === verb);
    if (!op) {
      if (this.has('undeclared_method_500')) throw new HttpError(500, 'internal', 'unhandled method');
      throw new HttpError(this.choices.unsupported_method_status, 'method_not_allowed', `${method} is not allowed on ${match.path}`, { allow: declared.map((m) => m.toUpperCase()).join(', ') });
    }
    const authorization = headerOf(headers, 'authorization');
    this.rateLimit(authorization ?? 'anonymous');
    const principal = this.authenticate(authorization, op);
    this.checkParams(op, match.params, url);

    const key = headerOf(headers, 'idempotency-key');
    if (key === undefined || !this.choices.idempotency.methods.includes(method.toUpperCase())) return this.execute(op, principal, match.params, url, raw, version);
    if (!new RegExp(this.choices.idempotency.key_pattern).test(key) && !this.has('idempotency_key_unchecked')) {
      throw new HttpError(this.choices.malformed_request_status, 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 255 letters, digits, - or _');
    }
    const scope = this.has('idempotency_shared_across_credentials') ? key : `${authorization ?? ''}\n${key}`;
    const fingerprint = `${method} ${url.pathname}${url.search}\n${raw}`;
    const prior = this.idempotency.get(scope);
    if (prior && !this.has('idempotency_not_replayed')) {
      if (prior.fingerprint !== fingerprint && !(this.has('idempotency_reuse_replays') && prior.done)) throw new HttpError(this.choices.idempotency.reused_with_different_request_status, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
      if (prior.done) return prior.done;
      if (!this.has('idempotency_in_flight_processed')) throw new HttpError(this.choices.idempotency.in_flight_duplicate_status, 'idempotency_in_flight', 'a request with this Idempotency-Key is still in flight');
    }
    const entry: { fingerprint: string; done?: Sent } = { fingerprint };
    if (!prior) this.idempotency.set(scope, entry);
    const sent = await this.execute(op, principal, match.params, url, raw, version).catch((e) => {
      if (!(e instanceof HttpError)) throw e;
      return this.render({ status: e.status, body: this.errorBody(e) }, version);
    });
    // The first outcome, an error included, is what every repeat gets.
    if (!prior) entry.done = sent;
    return sent;
  }

  private async execute(op: Operation, principal: Principal, params: Record<string, string>, url: URL, raw: string, version: string): Promise<Sent> {
    // The body /keys declares is ignored (choices.api_key_body: the docs' curl sends `{}`).
    if (op.id === 'users_createApiKey' && raw.trim() !== '' && this.has('api_key_body_rejected')) {
      throw new HttpError(this.validationStatus(), 'unexpected_body', 'this route takes no body');
    }
    const body = op.requestBody ? this.parseBody(op, raw) : undefined;
    if (this.opts.latencyMs) await sleep(this.opts.latencyMs);
    return this.render(await this.dispatch(op, principal, params, url, body), version);
  }

  private rateLimit(credential: string): void {
    const rl = this.opts.rateLimit;
    if (!rl) return;
    const burst = rl.burst ?? rl.rps;
    const now = Date.now();
    const b = this.buckets.get(credential) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rl.rps);
    b.at = now;
    this.buckets.set(credential, b);
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rl.rps));
      throw new HttpError(this.has('rate_limit_503') ? 503 : this.choices.rate_limit.status, 'rate_limited', `too many requests; retry after ${wait} s`, { retryAfter: wait });
    }
    b.tokens -= 1;
  }

  private authenticate(authorization: string | undefined, op: Operation): Principal {
    const main = this.seeds.partners.main.id;
    let principal: Principal | undefined;
    if (!authorization) {
      if (this.has('no_auth_required')) principal = { kind: 'partner', partnerId: main };
      else throw new HttpError(401, 'unauthorized', 'missing credentials');
    } else {
      const [scheme, token = ''] = authorization.split(/\s+/, 2);
      if (/^bearer$/i.test(scheme)) {
        const partner = [...this.store.partners.values()].find((p) => p.key === token);
        const userId = this.store.userKeys.get(token);
        if (partner) principal = { kind: 'partner', partnerId: partner.id };
        else if (userId && this.store.users.has(userId)) principal = { kind: 'user', userId, orgId: this.store.users.get(userId)!.orgId };
        else if (this.has('unknown_token_accepted')) principal = { kind: 'partner', partnerId: main };
      } else if (/^basic$/i.test(scheme) && !this.has('basic_org_key_rejected')) {
        const orgId = this.store.orgKeys.get(Buffer.from(token, 'base64').toString('utf8').split(':')[0]);
        if (orgId && this.store.orgs.has(orgId)) principal = { kind: 'org_basic', orgId };
      }
      if (!principal) throw new HttpError(401, 'unauthorized', 'unknown or revoked credentials');
    }
    const wantsPartner = op.credentials.includes('partner');
    if (wantsPartner && principal.kind !== 'partner') {
      if (this.has('user_key_on_partner_routes')) return { kind: 'partner', partnerId: this.store.orgs.get(principal.orgId)!.partnerId };
      throw new HttpError(this.choices.credential_kind_mismatch_status, 'forbidden', 'this route needs a partner key');
    }
    if (!wantsPartner && principal.kind === 'partner') {
      if (this.has('partner_key_on_current_org')) return { kind: 'org_basic', orgId: this.store.partners.get(principal.partnerId)!.ownerOrgId };
      throw new HttpError(this.choices.credential_kind_mismatch_status, 'forbidden', 'this route needs a user or organization key');
    }
    return principal;
  }

  private checkParams(op: Operation, params: Record<string, string>, url: URL): void {
    for (const [name, value] of Object.entries(params)) {
      const orgParam = (name === 'org_id' || (name === 'id' && op.tag === 'organization'));
      const ok = UUID.test(value) || (orgParam && this.has('org_id_not_uuid') && /^org_\d+$/.test(value));
      if (!ok) throw new HttpError(this.has('malformed_ids_404') ? 404 : this.choices.malformed_request_status, 'invalid_id', `${name} must be a uuid`);
    }
    const force = url.searchParams.get('force');
    if (force !== null && force !== 'true' && force !== 'false') throw new HttpError(this.choices.malformed_request_status, 'invalid_query', 'force must be true or false');
  }

  private parseBody(op: Operation, raw: string): Record<string, unknown> {
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      if (this.has('crash_on_invalid_json')) throw new HttpError(500, 'internal', 'internal error');
      throw new HttpError(this.choices.malformed_request_status, 'invalid_json', 'the body is not valid JSON');
    }
    if (body === undefined) body = {};
    const issues = this.validators.check(op.requestBody!.schemaPointer, body).filter((i) => !this.tolerated(i));
    if (issues.length) {
      throw new HttpError(this.validationStatus(), 'validation_failed', issues.map((i) => `${i.pointer} ${i.message}`).join('; '), { errors: issues });
    }
    return body as Record<string, unknown>;
  }

  private validationStatus(): number {
    return this.has('validation_errors_400') ? 400 : this.choices.validation_status;
  }

  /** Validation faults let exactly their own violation through. */
  private tolerated(i: { pointer: string; keyword: string; message: string }): boolean {
    return (
      (this.has('accepts_empty_role_ids') && i.keyword === 'minItems' && i.pointer === '/role_ids') ||
      (this.has('accepts_role_and_role_ids') && i.keyword === 'not') ||
      (this.has('accepts_missing_email') && i.keyword === 'required' && i.message.includes("'email'")) ||
      (this.has('accepts_non_uuid_role_id') && i.keyword === 'format' && /^\/role_ids\/\d+$/.test(i.pointer))
    );
  }

  // ---- lookups ----

  private orgById(id: string): Org | undefined {
    if (this.has('org_id_not_uuid')) {
      const m = /^org_(\d+)$/.exec(id);
      if (m) return [...this.store.orgs.values()].find((o) => o.seq === Number(m[1]));
    }
    return this.store.orgs.get(id);
  }

  private partnerOrg(p: Principal, id: string): Org {
    const org = this.orgById(id);
    const partnerId = p.kind === 'partner' ? p.partnerId : undefined;
    if (!org || (org.partnerId !== partnerId && !this.has('foreign_partner_reads_orgs'))) {
      // A foreign organization answers like an unknown one; the fault says "forbidden", leaking that it exists.
      if (org && this.has('out_of_scope_403')) throw new HttpError(403, 'forbidden', `organization ${id} belongs to another partner`);
      throw new HttpError(this.choices.out_of_scope_status, 'not_found', `organization ${id} not found`);
    }
    return org;
  }

  private userIn(org: Org, id: string): User {
    const user = this.store.users.get(id);
    if (!user && this.has('unknown_user_500')) throw new HttpError(500, 'internal', 'internal error');
    if (user && user.orgId !== org.id && this.has('out_of_scope_403')) throw new HttpError(403, 'forbidden', `user ${id} belongs to another organization`);
    if (!user || (user.orgId !== org.id && !this.has('cross_org_user_lookup'))) throw new HttpError(this.choices.out_of_scope_status, 'not_found', `user ${id} not found`);
    return user;
  }

  private currentOrg(p: Principal): Org {
    const org = p.kind === 'partner' ? undefined : this.store.orgs.get(p.orgId);
    if (!org) throw new HttpError(404, 'not_found', 'organization not found');
    return org;
  }

  // ---- operations ----

  private async dispatch(op: Operation, p: Principal, params: Record<string, string>, url: URL, body: any): Promise<Result> {
    const created = this.has('create_returns_201') ? 201 : this.choices.create_status;
    switch (op.id) {
      case 'organization_getCurrent':
        return { status: 200, body: { data: this.renderOrg(this.currentOrg(p)) } };
      case 'organization_list': {
        if (this.has('slow_list_orgs')) await sleep(this.opts.faultDelayMs ?? 3000);
        const partnerId = (p as { partnerId: string }).partnerId;
        let orgs = this.has('org_list_includes_foreign') ? [...this.store.orgs.values()] : this.store.orgsOf(partnerId);
        if (this.has('owner_org_not_first')) orgs = [...orgs.filter((o) => !o.owner), ...orgs.filter((o) => o.owner)];
        return { status: 200, body: { data: orgs.map((o) => this.renderOrg(o)) } };
      }
      case 'organization_create': {
        const partnerId = (p as { partnerId: string }).partnerId;
        this.uniqueName(partnerId, body.name);
        const org = this.store.addOrg(partnerId, body.name, false, ssoOf(body));
        return { status: created, body: { data: this.renderOrg(org) } };
      }
      case 'organization_get': {
        const org = this.partnerOrg(p, params.id);
        if (this.has('envelope_missing')) return { status: 200, body: this.renderOrg(org) };
        return { status: 200, body: { data: this.renderOrg(org) }, headers: this.has('html_content_type_on_success') ? { 'Content-Type': 'text/html' } : undefined };
      }
      case 'organization_update': {
        const org = this.partnerOrg(p, params.id);
        this.uniqueName(org.partnerId, body.name, org.id);
        org.name = body.name;
        // SSO/OIDC settings are replaced wholesale: what the PUT leaves out is cleared.
        org.sso = this.has('sso_merged_on_update') ? { ...org.sso, ...ssoOf(body) } : ssoOf(body);
        return { status: 200, body: { data: this.renderOrg(org) } };
      }
      case 'organization_delete': {
        const org = this.partnerOrg(p, params.id);
        if (org.owner && !this.has('owner_org_deletable')) throw new HttpError(this.choices.owner_org_delete_status, 'forbidden', 'a partner cannot delete its own owner organization');
        if (!this.has('delete_is_soft')) this.store.deleteOrg(org.id);
        return this.has('org_delete_returns_200') ? { status: 200, body: {} } : { status: this.choices.org_delete_status };
      }
      case 'users_listCurrentOrgUsers': {
        const org = this.currentOrg(p);
        const orgs = this.has('current_org_sees_all_users') ? this.store.orgsOf(org.partnerId) : [org];
        return this.userList(orgs.flatMap((o) => this.store.usersOf(o.id)));
      }
      case 'users_list':
        return this.userList(this.store.usersOf(this.partnerOrg(p, params.org_id).id));
      case 'users_createCurrentOrgUser': {
        const user = this.createUser(this.currentOrg(p), body);
        if (this.has('create_not_persisted')) this.store.deleteUser(user.id);
        return { status: created, body: { data: this.renderUser(user) } };
      }
      case 'users_create':
        return { status: created, body: { data: this.renderUser(this.createUser(this.partnerOrg(p, params.org_id), body)) } };
      case 'users_getCurrentOrgUser':
        return { status: 200, body: { data: this.renderUser(this.userIn(this.currentOrg(p), params.id)) } };
      case 'users_get':
        return { status: 200, body: { data: this.renderUser(this.userIn(this.partnerOrg(p, params.org_id), params.id)) } };
      case 'users_updateCurrentOrgUser':
        return { status: 200, body: { data: this.renderUser(this.updateRoles(this.userIn(this.currentOrg(p), params.id), body)) } };
      case 'users_update': {
        // The email P4 requires is never changed (choices.update_user_email: ignored).
        let user = this.userIn(this.partnerOrg(p, params.org_id), params.id);
        if (this.has('update_user_changes_email')) {
          user = { ...user, email: body.email };
          this.store.users.set(user.id, user);
        }
        return { status: 200, body: { data: this.renderUser(this.updateRoles(user, body)) } };
      }
      case 'users_deleteCurrentOrgUser':
        return { status: 200, body: { data: this.renderUser(this.deleteUser(this.userIn(this.currentOrg(p), params.id))) } };
      case 'users_delete':
        return { status: 200, body: { data: this.renderUser(this.deleteUser(this.userIn(this.partnerOrg(p, params.org_id), params.id))) } };
      case 'users_createApiKey': {
        const user = this.userIn(this.partnerOrg(p, params.org_id), params.id);
        const force = url.searchParams.get('force') === 'true';
        if ((force && !this.has('revoked_key_accepted')) || (!force && this.has('key_repeat_revokes'))) this.store.revokeKeys(user.id);
        const value = this.store.mintKey(user.id);
        return { status: created, body: { data: this.has('api_key_missing_value') ? {} : { value } } };
      }
      default:
        throw new HttpError(404, 'not_found', `no handler for ${op.id}`);
    }
  }

  private uniqueName(partnerId: string, name: string, except?: string): void {
    if (this.has('duplicate_org_name_allowed')) return;
    if (this.store.orgsOf(partnerId).some((o) => o.name === name && o.id !== except)) throw new HttpError(this.choices.duplicate_status, 'conflict', `an organization named ${name} exists`);
  }

  private roles(body: any): { role_ids: string[] | null; role?: string } {
    if (Array.isArray(body.role_ids)) {
      // Non-uuid items only get here through the accepts_non_uuid_role_id fault.
      const unknown = body.role_ids.filter((r: string) => UUID.test(r) && !ROLE_IDS.has(r));
      if (unknown.length) throw new HttpError(this.validationStatus(), 'unknown_role', `unknown role ids: ${unknown.join(', ')}`);
      return { role_ids: [...body.role_ids], ...(typeof body.role === 'string' ? { role: body.role.toLowerCase() } : {}) };
    }
    if (typeof body.role === 'string') {
      const role = body.role.toLowerCase();
      if (this.has('rejects_legacy_role') || !this.choices.legacy_role_values.includes(role)) throw new HttpError(this.validationStatus(), 'unknown_role', `unknown role ${body.role}`);
      return { role_ids: null, role };
    }
    return { role_ids: null };
  }

  private createUser(org: Org, body: any): User {
    const email = typeof body.email === 'string' ? body.email.toLowerCase() : `no-email-${this.store.users.size + 1}@unknown.invalid`;
    if (this.has('server_error_on_plus_email') && email.split('@')[0].includes('+')) throw new HttpError(500, 'internal', 'internal error');
    let target = org;
    if (this.has('mass_assignment_org_id') && typeof body.organization_id === 'string') {
      const other = this.store.orgs.get(body.organization_id);
      if (other && other.partnerId === org.partnerId) target = other;
    }
    if (!this.has('duplicate_user_email_allowed') && this.store.usersOf(target.id).some((u) => u.email === email)) throw new HttpError(this.choices.duplicate_status, 'conflict', 'a user with this email exists in the organization');
    const { role_ids, role } = this.roles(body);
    return this.store.addUser(target.id, email, role_ids, role ?? (role_ids ? undefined : 'user'));
  }

  private updateRoles(user: User, body: any): User {
    if (body.role_ids === undefined && body.role === undefined) return user;
    const roles = this.roles(body);
    const updated = (u: User): User => {
      const next: User = { ...u, ...roles };
      if (Array.isArray(body.role_ids)) delete next.role;
      return next;
    };
    // The fault answers as if the addressed user changed but stores the change on the newest one.
    const stored = this.has('update_hits_newest_user') ? (this.store.usersOf(user.orgId).at(-1) ?? user) : user;
    if (!this.has('update_ignored')) this.store.users.set(stored.id, updated(stored));
    return updated(user);
  }

  private deleteUser(user: User): User {
    if (!this.has('delete_is_soft')) this.store.deleteUser(user.id);
    return user;
  }

  private userList(users: User[]): Result {
    const data = users.map((u) => this.renderUser(u));
    return { status: 200, body: { data: this.has('list_users_data_object') ? Object.fromEntries(data.map((u) => [u.id, u])) : data } };
  }

  // ---- rendering ----

  private orgId(org: Org): string {
    return this.has('org_id_not_uuid') ? `org_${org.seq}` : org.id;
  }

  private renderOrg(org: Org): Record<string, unknown> {
    const { client_secret, client_id: _clientId, ...visible } = org.sso;
    return {
      id: this.orgId(org),
      ...(this.has('org_missing_name') ? {} : { name: org.name }),
      ...visible,
      ...(this.has('org_returns_client_secret') && client_secret !== undefined ? { client_secret } : {}),
    };
  }

  private renderUser(user: User): Record<string, any> {
    const org = this.store.orgs.get(user.orgId);
    let roleIds: unknown = user.role_ids;
    if (this.has('role_id_item_not_uuid') && Array.isArray(roleIds)) roleIds = roleIds.map((_, i) => `role-${i + 1}`);
    if (this.has('role_ids_empty_string') && roleIds === null) roleIds = '';
    return {
      id: user.id,
      email: this.has('user_email_number') ? 12345 : user.email,
      ...(this.has('user_missing_organization_id') ? {} : { organization_id: org ? this.orgId(org) : user.orgId }),
      ...(this.has('role_ids_omitted_when_null') && roleIds === null ? {} : { role_ids: roleIds }),
      ...(user.role ? { role: user.role } : {}),
      ...(this.has('undocumented_field') ? { name: user.email.split('@')[0] } : {}),
    };
  }

  private errorBody(e: HttpError): Record<string, unknown> {
    if (e.status === 401 && this.has('rest_err_401')) return { code: 401, error: e.message, status: STATUS_TEXT[401] };
    let status: unknown = e.status;
    if (this.has('error_status_mismatch')) status = e.status === 400 ? 422 : 400;
    if (this.has('error_status_string')) status = STATUS_TEXT[e.status];
    const metadata = e.metadata && 'errors' in e.metadata ? { metadata: { errors: e.metadata.errors } } : {};
    return { key: e.key, message: e.message, status, ...metadata, ...(e.status === 429 ? { metadata: { retry_after: e.metadata?.retryAfter } } : {}) };
  }

  private render(r: Result, version: string): Sent {
    const headers: Record<string, string> = {};
    if (!this.has('missing_version_header')) headers['X-Polytomic-Version'] = this.has('version_header_ignores_request') ? this.choices.default_version : version;
    if ((r.body as any)?.key === 'rate_limited' && !this.has('rate_limit_without_retry_after')) headers['Retry-After'] = String((r.body as any)?.metadata?.retry_after ?? 1);
    if (r.body === undefined) return { status: r.status, headers: { ...headers, ...r.headers }, text: '' };
    if (r.status >= 400 && r.status < 500 && this.has('text_plain_errors')) {
      return { status: r.status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...r.headers }, text: String((r.body as any)?.message ?? 'error') };
    }
    return { status: r.status, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', ...r.headers }, text: JSON.stringify(r.body) };
  }
}

function headerOf(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function ssoOf(body: any): Org['sso'] {
  const out: Org['sso'] = {};
  for (const k of ['client_id', 'client_secret', 'issuer', 'sso_domain', 'sso_org_id'] as const) if (typeof body[k] === 'string') out[k] = body[k];
  return out;
}

/** Starts the mock; resolves once it listens. */
export async function startMock(opts: MockOptions = {}): Promise<RunningMock> {
  const faults = parseFaults(opts.faults ?? []);
  const spec = loadSpec(SPEC_FILE);
  const validators = validatorsFor(spec).warm();
  const store = new Store();
  const seeds = seed(store, {
    partner: opts.partnerKey ?? DEFAULT_KEYS.partner,
    foreignPartner: opts.foreignPartnerKey ?? DEFAULT_KEYS.foreignPartner,
    org: opts.orgKey ?? DEFAULT_KEYS.org,
  });
  const api = new MockApi(spec, validators, store, seeds, opts.choices ?? loadContracts().choices, faults, opts);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://mock');
      const reply = (s: Sent) => {
        res.writeHead(s.status, { ...s.headers, 'Content-Length': Buffer.byteLength(s.text) });
        res.end(s.text);
      };
      if (url.pathname === '/__mock/snapshot') return reply({ status: 200, headers: { 'Content-Type': 'application/json' }, text: JSON.stringify(store.snapshot()) });
      api.handle(req.method ?? 'GET', url, req.headers, Buffer.concat(chunks).toString('utf8')).then(reply, () =>
        reply({ status: 500, headers: { 'Content-Type': 'application/json' }, text: JSON.stringify({ key: 'internal', message: 'internal error', status: 500 }) }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} is in use; set PORT to a free port (or 0 for any)`) : e),
    );
    server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    seeds,
    snapshot: () => store.snapshot(),
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
