import http from 'node:http';
import type { Invariants, TargetProfile } from '../src/model/contracts';
import { UUID } from '../src/model/formats';
import type { HttpMethod, Operation } from '../src/model/spec/load';
import type { ValidationIssue } from '../src/model/validators';
import type { Org, Policy, PolicyAction, Role, Sso, Store, User } from './store';
import { type Json, MockError, partnerLevel, type Principal, type Result, type Sent } from './types';

/**
 * Every decision the mock's pipeline and rules take, as one typed hook each. `conforming()` gives
 * the behaviour a target profile describes (its first accepted answer to every open question);
 * a fault (mock/faults.ts) replaces one hook or a few. Handlers and the pipeline only ever ask
 * the behaviour, so a new fault is an entry in the fault list, not an edit in a handler. Hooks do
 * not call each other: a fault that replaces one changes that decision and nothing else.
 */
export interface Behaviour {
  // ---- versions, routing, limits
  /** The version that serves a request; undefined when the requested one is not supported. */
  servedVersion(requested: string | undefined): string | undefined;
  unsupportedVersion(requested: string): MockError;
  /** The declared method a request reaches (PATCH may reach PUT), or the answer to an undeclared one. */
  route(method: string, declared: readonly HttpMethod[], path: string): HttpMethod | MockError;
  rateLimited(retryAfterSeconds: number): MockError;
  /** Milliseconds to wait before answering an operation. */
  delay(op: Operation): number;

  // ---- credentials
  /** Who sent a request (or the 401 answer). */
  authenticate(authorization: string | undefined): Principal | MockError;
  /** The principal an operation runs as, or the refusal of a key of the wrong kind. */
  authorize(principal: Principal, op: Operation): Principal | MockError;

  // ---- parameters and bodies
  /** A path id or query value that is malformed. */
  checkParams(op: Operation, params: Record<string, string>, url: URL): MockError | undefined;
  malformedJson(): MockError;
  /** What a body that breaks its schema gets; undefined lets it through (a tolerated issue). */
  rejectBody(op: Operation, issues: ValidationIssue[]): MockError | undefined;
  /** A body on an operation that takes none it uses (the /keys body). */
  unexpectedBody(op: Operation): MockError | undefined;

  // ---- idempotency
  idempotencyKeyValid(key: string): boolean;
  malformedIdempotencyKey(): MockError;
  /** Whose requests a key is remembered for. */
  idempotencyScope(principal: Principal, authorization: string, key: string): string;
  /** Does a repeated key on this method replay the first outcome? */
  replays(method: string): boolean;
  /** A repeat arriving while the first is in flight: refused, or run. */
  inFlight(): MockError | 'run';
  /** A repeat with another request: the first outcome, or a refusal. */
  reused(first: Sent): Sent | MockError;

  // ---- organizations
  /** The organization a partner route names, or the not-found answer (another partner's, unknown). */
  partnerOrg(principal: Principal, id: string): Org | MockError;
  orgsListed(partnerId: string): Org[];
  duplicateOrgName(partnerId: string, name: string, except?: string): MockError | undefined;
  /** A refusal of an organization create before anything else is looked at (a quota). */
  beforeCreateOrg(): MockError | undefined;
  /** The SSO settings an update leaves. */
  updatedSso(current: Sso, sent: Sso): Sso;
  /** The refusal of a partner deleting its own owner organization. */
  protectOwner(org: Org): MockError | undefined;
  removeOrg(org: Org): void;
  orgDeleteStatus(): number;
  createdStatus(op: Operation): number;

  // ---- users
  currentOrgUsers(org: Org): User[];
  /** The user a route names in an organization, or the not-found answer. */
  userIn(org: Org, id: string): User | MockError;
  /** The organization a create lands in (a body never moves it). */
  createTarget(org: Org, body: Json): Org;
  /** An email that already has a user in the organization: refused, that user answered, or (undefined) created again. */
  duplicateUser(existing: User): MockError | User | undefined;
  /** What a create or update stores of the roles it was sent (role_ids must name roles of `org`). */
  roles(org: Org, body: Json): { role_ids: string[] | null; role?: string } | MockError;
  beforeCreateUser(email: string): MockError | undefined;
  /** Stores a created user (current-org creates included). */
  persistUser(user: User, op: Operation): void;
  /** The email a partner user update leaves (the one it requires is not applied). */
  updatedEmail(user: User, sent: string): string;
  /** Stores a role update of `user` and answers for it. */
  storeRoles(user: User, next: User): User;
  deleteUser(user: User): void;

  // ---- roles and policies
  /** The roles an organization lists to a caller (its built-in ones included). */
  rolesListed(org: Org, principal: Principal): Role[];
  /** The role a route names in an organization, or the not-found answer. */
  roleIn(org: Org, id: string): Role | MockError;
  policiesListed(org: Org): Policy[];
  policyIn(org: Org, id: string): Policy | MockError;
  /** The organization a role or policy create lands in (a body may name another: permissions_organization_id). */
  permissionsTarget(org: Org, body: Json): Org | MockError;
  /** A role or policy name the organization already uses: refused, or (undefined) allowed. */
  duplicatePermissionName(org: Org, kind: 'role' | 'policy', name: string, except?: string): MockError | undefined;
  /** The bindings a policy create or update stores (every role id must name a role of `org`). */
  policyActions(org: Org, sent: unknown): PolicyAction[] | MockError;
  /** The refusal of changing a built-in role or policy, or (undefined) allowed. */
  protectBuiltIn(kind: 'role' | 'policy', action: 'update' | 'delete'): MockError | undefined;
  /** Stores a role or policy create or update (renames, rebinding). */
  storeRole(role: Role): Role;
  storePolicy(policy: Policy): Policy;
  /** Deletes a role: what becomes of the users holding it, and of the policies binding it. */
  removeRole(role: Role): MockError | undefined;
  removePolicy(policy: Policy): MockError | undefined;
  permissionsDeleteStatus(): number;

  // ---- identity
  identity(principal: Principal): Json;

  // ---- keys
  /** Does minting a key revoke the user's earlier keys? */
  revokesOnMint(force: boolean): boolean;
  renderKey(value: string): Json;

  // ---- rendering
  renderOrg(org: Org): Json;
  renderUser(user: User): Json;
  renderUserList(users: Json[]): unknown;
  renderRole(role: Role): Json;
  renderPolicy(policy: Policy): Json;
  errorBody(e: MockError): Json;
  /** The last word on an operation's answer (its envelope, its content type). */
  respond(op: Operation, result: Result): Result;
  /** Headers every answer carries: the version that served it, and Retry-After on a 429. */
  headers(version: string, e?: MockError): Record<string, string>;
  /** How an error body goes on the wire. */
  errorText(status: number, body: Json): { contentType: string; text: string };
}

export interface BehaviourContext {
  profile: TargetProfile;
  invariants: Invariants;
  store: Store;
  /** Ids of the main partner (an unauthenticated request acts as it under some faults). */
  mainPartnerId: string;
  /** How long the latency faults wait. */
  faultDelayMs: number;
}

const notFound = (what: string, id: string, status: number) => new MockError(status, 'not_found', `${what} ${id} not found`);

/** The behaviour the target profile describes: its first accepted answer to every question. */
export function conforming(ctx: BehaviourContext): Behaviour {
  const { profile, invariants, store } = ctx;
  const status = (question: string) => Number(profile.first(question));
  const answer = (question: string) => String(profile.first(question));
  const notFoundStatus = status('not_found_status');
  const enforced = (question: string) => answer(question) === 'enforced';

  return {
    servedVersion: (requested) => (requested === undefined ? answer('default_version') : invariants.versions.supported.includes(requested) ? requested : undefined),
    unsupportedVersion: (requested) =>
      new MockError(status('unsupported_version_status'), 'unsupported_version', `X-Polytomic-Version ${requested} is not supported; use one of ${invariants.versions.supported.join(', ')}`),
    route: (method, declared, path) => {
      const verb = method.toLowerCase() as HttpMethod;
      if (declared.includes(verb)) return verb;
      if (verb === 'patch' && declared.includes('put') && answer('patch_on_update') === 'accepted') return 'put';
      const s = status('undeclared_method_status');
      const allow = declared.map((m) => m.toUpperCase()).join(', ');
      return new MockError(s, s === 405 ? 'method_not_allowed' : 'not_found', `${method} is not allowed on ${path}`, s === 405 ? { allow } : {});
    },
    rateLimited: (retryAfter) => new MockError(429, 'rate_limited', `too many requests; retry after ${retryAfter} s`, { retryAfter }),
    delay: () => 0,

    authenticate: (authorization) => {
      if (!authorization) return new MockError(401, 'unauthorized', 'missing credentials');
      const [scheme, token = ''] = authorization.split(/\s+/, 2);
      if (/^bearer$/i.test(scheme)) {
        const partner = [...store.partners.values()].find((p) => p.key === token);
        if (partner) return { kind: 'partner', partnerId: partner.id };
        const userId = store.userKeys.get(token);
        const user = userId ? store.users.get(userId) : undefined;
        // A server whose new users' keys wait for the invitation to be accepted: the mock's never are.
        if (user && answer('new_user_key_works') === 'no') return new MockError(401, 'unauthorized', 'the key works once its user accepts the invitation');
        if (user) return { kind: 'user', userId: user.id, orgId: user.orgId };
      } else if (/^basic$/i.test(scheme)) {
        const decoded = Buffer.from(token, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const [user, password] = colon >= 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : [decoded, ''];
        // The deployment key on its own: as the user name, with an empty password.
        const deployment = [...store.partners.values()].find((p) => p.deploymentKey && p.deploymentKey === user);
        if (deployment && password === '') return { kind: 'deployment', partnerId: deployment.id };
        // Organization-scoped: the organization's id as the user name, its partner's (or deployment's) key as the password.
        const org = user ? store.orgs.get(user) : undefined;
        const byKey = [...store.partners.values()].find((p) => p.key === password);
        const byDeployment = [...store.partners.values()].find((p) => p.deploymentKey && p.deploymentKey === password);
        const partner = byKey ?? byDeployment;
        if (org && partner && org.partnerId === partner.id) return { kind: byKey ? 'org_basic' : 'deployment_org', orgId: org.id };
        if (org && partner) return new MockError(status('foreign_org_key_status'), status('foreign_org_key_status') === 401 ? 'unauthorized' : 'forbidden', 'this key does not belong to the organization');
      }
      return new MockError(401, 'unauthorized', 'unknown or revoked credentials');
    },
    authorize: (principal, op) => {
      if (op.credentials.includes(principal.kind)) return principal;
      const wantsPartner = op.credentials.includes('partner');
      return new MockError(status('wrong_credential_kind_status'), 'forbidden', wantsPartner ? 'this route needs a partner key' : 'this route needs a user or organization key');
    },

    checkParams: (_op, params, url) => {
      for (const [name, value] of Object.entries(params)) {
        if (!UUID.test(value)) return new MockError(status('malformed_id_status'), 'invalid_id', `${name} must be a uuid`);
      }
      const force = url.searchParams.get('force');
      if (force !== null && force !== 'true' && force !== 'false') return new MockError(status('malformed_query_status'), 'invalid_query', 'force must be true or false');
      return undefined;
    },
    malformedJson: () => new MockError(status('malformed_json_status'), 'invalid_json', 'the body is not valid JSON'),
    rejectBody: (op, issues) => {
      // Constraints the sources do not state (x-assumptions) are enforced only where the profile says so.
      const left = issues.filter((i) => !i.assumption || enforced(i.assumption));
      if (!left.length) return undefined;
      // A body of the wrong type (or with a field of the wrong type) is a type error; anything else
      // breaks a rule. The spec names the question whose answer is each status (x-rejected-as).
      const rejectedAs = op.requestBody?.rejectedAs ?? {};
      const question = (left.some((i) => i.keyword === 'type') ? (rejectedAs.type ?? rejectedAs.rule) : rejectedAs.rule) ?? 'validation_status';
      return new MockError(status(question), 'validation_failed', left.map((i) => `${i.pointer} ${i.message}`).join('; '), { issues: left });
    },
    unexpectedBody: () => (answer('api_key_body') === 'rejected' ? new MockError(status('validation_status'), 'unexpected_body', 'this route takes no body') : undefined),

    idempotencyKeyValid: (key) => new RegExp(invariants.idempotency.key_pattern).test(key),
    malformedIdempotencyKey: () => new MockError(status('malformed_header_status'), 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 255 letters, digits, - or _'),
    idempotencyScope: (principal, authorization, key) => {
      if (answer('idempotency_scope') !== 'account') return `${authorization}\n${key}`;
      const partnerId = partnerLevel(principal) ? principal.partnerId : store.orgs.get(principal.orgId)?.partnerId;
      return `${partnerId}\n${key}`;
    },
    replays: (method) => method === 'POST' || (method === 'PUT' && answer('idempotency_on_put') === 'replayed') || (method === 'DELETE' && answer('idempotency_on_delete') === 'replayed'),
    inFlight: () => new MockError(invariants.idempotency.in_flight_status, 'idempotency_in_flight', 'a request with this Idempotency-Key is still in flight'),
    reused: (first) => first,

    partnerOrg: (principal, id) => {
      const org = store.orgs.get(id);
      if (!org || !partnerLevel(principal) || org.partnerId !== principal.partnerId) return notFound('organization', id, notFoundStatus);
      return org;
    },
    orgsListed: (partnerId) => store.orgsOf(partnerId),
    duplicateOrgName: (partnerId, name, except) =>
      store.orgsOf(partnerId).some((o) => o.name === name && o.id !== except) ? new MockError(status('duplicate_org_name_status'), 'conflict', `an organization named ${name} exists`) : undefined,
    beforeCreateOrg: () => undefined,
    updatedSso: (_current, sent) => sent,
    protectOwner: () => new MockError(status('owner_org_delete_status'), 'forbidden', 'a partner cannot delete its own owner organization'),
    removeOrg: (org) => store.deleteOrg(org.id),
    orgDeleteStatus: () => status('org_delete_status'),
    createdStatus: () => 200,

    currentOrgUsers: (org) => store.usersOf(org.id),
    userIn: (org, id) => {
      const user = store.users.get(id);
      return user && user.orgId === org.id ? user : notFound('user', id, notFoundStatus);
    },
    createTarget: (org) => org,
    duplicateUser: (existing) => {
      const a = answer('duplicate_user_email');
      return a === 'existing' ? existing : new MockError(Number(a), 'conflict', 'a user with this email exists in the organization');
    },
    roles: (org, body) => {
      if (Array.isArray(body.role_ids)) {
        const unknown = (body.role_ids as string[]).filter((r) => store.roles.get(r)?.orgId !== org.id);
        if (unknown.length) return new MockError(status('unknown_role_status'), 'unknown_role', `not roles of organization ${org.id}: ${unknown.join(', ')}`);
        return { role_ids: [...(body.role_ids as string[])], ...(typeof body.role === 'string' ? { role: body.role.toLowerCase() } : {}) };
      }
      if (typeof body.role === 'string') {
        const role = body.role.toLowerCase();
        if (!invariants.legacy_roles.values.includes(role)) return new MockError(status('validation_status'), 'unknown_role', `unknown role ${body.role}`);
        return { role_ids: null, role };
      }
      return { role_ids: null };
    },
    beforeCreateUser: () => undefined,
    persistUser: (user) => {
      store.users.set(user.id, user);
    },
    updatedEmail: (user) => user.email,
    storeRoles: (user, next) => {
      store.users.set(user.id, next);
      return next;
    },
    deleteUser: (user) => store.deleteUser(user.id),

    rolesListed: (org) => store.rolesOf(org.id),
    roleIn: (org, id) => {
      const role = store.roles.get(id);
      return role && role.orgId === org.id ? role : notFound('role', id, notFoundStatus);
    },
    policiesListed: (org) => store.policiesOf(org.id),
    policyIn: (org, id) => {
      const policy = store.policies.get(id);
      return policy && policy.orgId === org.id ? policy : notFound('policy', id, notFoundStatus);
    },
    permissionsTarget: (org, body) => {
      const named = typeof body.organization_id === 'string' ? body.organization_id : undefined;
      if (!named || named === org.id) return org;
      const a = answer('permissions_organization_id');
      if (a === 'rejected') return new MockError(status('permissions_validation_status'), 'invalid_organization', `organization_id ${named} is not the caller's organization`);
      const other = store.orgs.get(named);
      return a === 'honoured' && other && other.partnerId === org.partnerId ? other : org;
    },
    duplicatePermissionName: (org, kind, name, except) => {
      const a = answer('duplicate_permission_name');
      const taken = (kind === 'role' ? store.rolesOf(org.id) : store.policiesOf(org.id)).some((x) => x.name === name && x.id !== except);
      return taken && a !== 'allowed' ? new MockError(Number(a), 'conflict', `a ${kind} named ${name} exists`) : undefined;
    },
    policyActions: (org, sent) => {
      const actions = (Array.isArray(sent) ? sent : []) as { action: string; role_ids?: string[] | null }[];
      const unknown = actions.flatMap((a) => a.role_ids ?? []).filter((r) => store.roles.get(r)?.orgId !== org.id);
      if (unknown.length) return new MockError(status('policy_unknown_role_status'), 'unknown_role', `not roles of organization ${org.id}: ${unknown.join(', ')}`);
      return actions.map((a) => ({ action: a.action, role_ids: a.role_ids?.length ? [...a.role_ids] : null }));
    },
    protectBuiltIn: (kind, action) => {
      const a = answer(`system_${kind}_${action}_status`);
      return a === 'allowed' ? undefined : new MockError(Number(a), 'forbidden', `a built-in ${kind} cannot be ${action}d`);
    },
    storeRole: (role) => {
      store.roles.set(role.id, role);
      return role;
    },
    storePolicy: (policy) => {
      store.policies.set(policy.id, policy);
      return policy;
    },
    removeRole: (role) => {
      const holders = store.usersOf(role.orgId).filter((u) => u.role_ids?.includes(role.id));
      const effect = answer('role_delete_effect_on_users');
      if (effect === 'refused' && holders.length) return new MockError(409, 'conflict', `role ${role.id} is held by ${holders.length} users`);
      if (effect === 'removed') {
        // A user left with no role holds none (null), as one created without roles does.
        for (const u of holders) {
          const rest = u.role_ids!.filter((r) => r !== role.id);
          store.users.set(u.id, { ...u, role_ids: rest.length ? rest : null });
        }
      }
      // Policies keep the deleted role's id until they are updated (a documented fact).
      store.roles.delete(role.id);
      return undefined;
    },
    removePolicy: (policy) => {
      store.policies.delete(policy.id);
      return undefined;
    },
    permissionsDeleteStatus: () => status('permissions_delete_status'),

    identity: (principal) => {
      const flags = { is_organization: false, is_partner: false, is_system: false, is_user: false };
      if (principal.kind === 'partner') return { ...flags, is_partner: true };
      if (partnerLevel(principal)) return answer('deployment_key_identity') === 'partner' ? { ...flags, is_partner: true } : { ...flags, is_system: true };
      const org = store.orgs.get(principal.orgId);
      const orgFields = org ? { organization_id: org.id, organization_name: org.name } : {};
      if (principal.kind !== 'user') return answer('org_key_identity') === 'partner' ? { ...flags, is_partner: true, ...orgFields } : { ...flags, is_organization: true, ...orgFields };
      const user = store.users.get(principal.userId);
      return { ...flags, is_user: true, id: principal.userId, ...(user ? { email: user.email } : {}), ...orgFields, ...(user?.role ? { role: user.role } : {}) };
    },

    revokesOnMint: (force) => force || answer('api_key_repeat_without_force') === 'revokes_earlier',
    renderKey: (value) => ({ value }),

    renderOrg: (org) => {
      const { client_secret: _secret, client_id: _clientId, ...visible } = org.sso;
      return { id: org.id, name: org.name, ...visible };
    },
    renderUser: (user) => ({ id: user.id, email: user.email, organization_id: user.orgId, role_ids: user.role_ids, ...(user.role ? { role: user.role } : {}) }),
    renderUserList: (users) => users,
    renderRole: (role) => ({ id: role.id, name: role.name, organization_id: role.orgId, system: role.system }),
    renderPolicy: (policy) => ({ id: policy.id, name: policy.name, organization_id: policy.orgId, policy_actions: policy.actions.map((a) => ({ ...a })), system: policy.system }),
    errorBody: (e) => {
      if (e.status === 401 && answer('unauthorized_body') === 'RestErrResponse') return { code: 401, error: e.message, status: http.STATUS_CODES[401] };
      if (e.status === 401 && answer('unauthorized_body') === 'LegacyErrorResponse') return { error: { message: e.message } };
      return {
        key: e.key,
        message: e.message,
        status: e.status,
        ...(e.extra.issues ? { metadata: { errors: e.extra.issues } } : {}),
        ...(e.extra.retryAfter !== undefined ? { metadata: { retry_after: e.extra.retryAfter } } : {}),
      };
    },
    respond: (_op, result) => result,
    headers: (version, e) => ({
      [invariants.versions.header]: version,
      ...(e?.extra.retryAfter !== undefined ? { 'Retry-After': String(e.extra.retryAfter) } : {}),
      ...(e?.extra.allow !== undefined ? { Allow: e.extra.allow } : {}),
    }),
    errorText: (_status, body) => ({ contentType: 'application/json; charset=utf-8', text: JSON.stringify(body) }),
  };
}
