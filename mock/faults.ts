import http from 'node:http';
import { UserError } from '../src/model/errors';
import { UUID } from '../src/model/formats';
import type { Behaviour, BehaviourContext } from './behaviour';
import type { Org, User } from './store';
import { type Json, MockError, partnerLevel } from './types';

export type FaultCategory = 'shape' | 'format' | 'secrets' | 'errors' | 'status' | 'headers' | 'versions' | 'auth' | 'tenancy' | 'validation' | 'state' | 'keys' | 'idempotency' | 'robustness' | 'latency' | 'permissions' | 'identity' | 'drift';

export interface Fault {
  name: string;
  category: FaultCategory;
  /** The check id expected to catch it. */
  catches: string;
  /**
   * The rule it breaks: an invariant (`invariants.<id>`), an open question answered outside what
   * the profile accepts (`questions.<id>`), the OpenAPI document (`spec`) or HTTP (`http`).
   */
  rule: string;
  description: string;
  /** The hooks it replaces; each gets the behaviour it replaces, to delegate to. */
  apply(base: Behaviour, ctx: BehaviourContext): Partial<Behaviour>;
}

const f = (category: FaultCategory, name: string, catches: string, rule: string, description: string, apply: Fault['apply']): Fault => ({ name, category, catches, rule, description, apply });

const mapUser = (fn: (u: Json, user: User) => Json) => (b: Behaviour): Partial<Behaviour> => ({ renderUser: (user) => fn(b.renderUser(user), user) });
const mapOrg = (fn: (o: Json, org: Org) => Json) => (b: Behaviour): Partial<Behaviour> => ({ renderOrg: (org) => fn(b.renderOrg(org), org) });
const without = (o: Json, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** `org_<n>` ids, rendered and accepted back (org_id_not_uuid). */
const orgAlias = (org: Org) => `org_${org.seq}`;

/** A validation fault lets exactly its own violation through. */
const tolerating = (tolerated: (i: { keyword: string; pointer: string; message: string }) => boolean) => (b: Behaviour): Partial<Behaviour> => ({
  rejectBody: (op, issues) => b.rejectBody(op, issues.filter((i) => !tolerated(i))),
});

/**
 * Every way the mock can be told to break one rule of the API. Each breaks exactly that rule;
 * `npm run selfcheck` runs the suite against each, and tests/checks/fault-coverage.spec.ts holds
 * that every invariant and every open question is broken by a fault or answered differently by
 * a profile variant. A new fault is one entry here: the hooks it replaces are in behaviour.ts.
 */
export const FAULTS = [
  f('shape', 'user_email_number', 'response_schema_conformance', 'spec', 'User.email is rendered as a number', mapUser((u) => ({ ...u, email: 12345 }))),
  f('shape', 'user_missing_organization_id', 'contract_required_fields', 'invariants.required_fields', 'User.organization_id is left out', mapUser((u) => without(u, 'organization_id'))),
  f('shape', 'org_missing_name', 'contract_required_fields', 'invariants.required_fields', 'Organization.name is left out', mapOrg((o) => without(o, 'name'))),
  f('shape', 'role_ids_omitted_when_null', 'contract_nullable_role_ids', 'invariants.nullable_arrays_present', 'User.role_ids is dropped when null instead of being null', mapUser((u) => (u.role_ids === null ? without(u, 'role_ids') : u))),
  f('shape', 'role_ids_empty_string', 'response_schema_conformance', 'spec', 'a null User.role_ids is rendered as ""', mapUser((u) => (u.role_ids === null ? { ...u, role_ids: '' } : u))),
  f('shape', 'list_users_data_object', 'response_schema_conformance', 'spec', 'user lists put an object in `data`', () => ({ renderUserList: (users) => Object.fromEntries(users.map((u) => [u.id, u])) })),
  f('shape', 'envelope_missing', 'contract_required_fields', 'invariants.envelope_data', 'GET organization returns the organization without its {data} envelope', (b) => ({
    respond: (op, r) => b.respond(op, op.id === 'organization_get' && r.status === 200 ? { ...r, body: (r.body as { data: unknown }).data } : r),
  })),
  f('shape', 'api_key_missing_value', 'contract_required_fields', 'invariants.required_fields', 'a new API key comes back as {data:{}}', () => ({ renderKey: () => ({}) })),
  f('format', 'org_id_not_uuid', 'contract_ids_are_uuids', 'invariants.uuid_fields', 'organization ids are rendered as org_<n> (and accepted back)', (b, { store }) => ({
    renderOrg: (org) => ({ ...b.renderOrg(org), id: orgAlias(org) }),
    renderUser: (user) => {
      const org = store.orgs.get(user.orgId);
      return { ...b.renderUser(user), organization_id: org ? orgAlias(org) : user.orgId };
    },
    partnerOrg: (p, id) => b.partnerOrg(p, [...store.orgs.values()].find((o) => orgAlias(o) === id)?.id ?? id),
    checkParams: (op, params, url) => b.checkParams(op, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, /^org_\d+$/.test(v) ? '00000000-0000-4000-8000-000000000000' : v])), url),
  })),
  f('format', 'role_id_item_not_uuid', 'response_schema_conformance', 'spec', 'role_ids items are rendered as role names', mapUser((u) => (Array.isArray(u.role_ids) ? { ...u, role_ids: u.role_ids.map((_, i) => `role-${i + 1}`) } : u))),
  f('secrets', 'org_returns_client_secret', 'contract_write_only_never_returned', 'invariants.never_returned', 'organizations are rendered with their client_secret', mapOrg((o, org) => (org.sso.client_secret === undefined ? o : { ...o, client_secret: org.sso.client_secret }))),
  f('errors', 'error_status_mismatch', 'contract_error_status_matches', 'invariants.error_status_matches_http', 'ApiError.status differs from the HTTP status', (b) => ({
    errorBody: (e) => {
      const body = b.errorBody(e);
      return typeof body.status === 'number' ? { ...body, status: e.status === 400 ? 422 : 400 } : body;
    },
  })),
  f('errors', 'error_status_string', 'response_schema_conformance', 'spec', 'ApiError.status is the status text', (b) => ({ errorBody: (e) => ({ ...b.errorBody(e), status: http.STATUS_CODES[e.status] }) })),
  f('errors', 'text_plain_errors', 'content_type_conformance', 'spec', '4xx bodies are text/plain', (b) => ({
    errorText: (status, body) => (status >= 400 && status < 500 ? { contentType: 'text/plain; charset=utf-8', text: String(body.message ?? body.error ?? 'error') } : b.errorText(status, body)),
  })),
  f('errors', 'html_content_type_on_success', 'content_type_conformance', 'spec', 'GET organization answers 200 with Content-Type text/html', (b) => ({
    respond: (op, r) => b.respond(op, op.id === 'organization_get' && r.status === 200 ? { ...r, headers: { ...r.headers, 'Content-Type': 'text/html' } } : r),
  })),
  f('status', 'create_returns_201', 'status_code_conformance', 'spec', 'creates answer 201', () => ({ createdStatus: () => 201 })),
  f('status', 'org_creates_refused', 'positive_data_acceptance', 'spec', 'every organization create answers 403, as for a partner out of quota: a test that needs an organization has its setup refused, which the reports count apart', () => ({
    beforeCreateOrg: () => new MockError(403, 'forbidden', 'organization quota reached'),
  })),
  f('status', 'server_error_on_plus_email', 'not_a_server_error', 'http', "creating a user whose email's local part has a + answers 500", (b) => ({
    beforeCreateUser: (email) => (email.split('@')[0].includes('+') ? new MockError(500, 'internal', 'internal error') : b.beforeCreateUser(email)),
  })),
  f('status', 'server_error_on_non_ascii_name', 'not_a_server_error', 'http', 'creating or renaming an organization to a name with a non-ASCII character answers 500', (b) => ({
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
    duplicateOrgName: (partner, name, except) => (/[^\x00-\x7f]/.test(name) ? new MockError(500, 'internal', 'internal error') : b.duplicateOrgName(partner, name, except)),
  })),
  f('status', 'unknown_user_500', 'not_a_server_error', 'http', 'an unknown user id answers 500', (b, { store }) => ({
    userIn: (org, id) => (store.users.has(id) ? b.userIn(org, id) : new MockError(500, 'internal', 'internal error')),
  })),
  f('status', 'unknown_org_answers_200', 'unknown_ids_not_found', 'questions.not_found_status', "an organization id that names nothing answers with the partner's first organization", (b, { store }) => ({
    partnerOrg: (p, id) => (!store.orgs.has(id) && UUID.test(id) && p.kind === 'partner' ? store.orgsOf(p.partnerId)[0] : b.partnerOrg(p, id)),
  })),
  f('robustness', 'crash_on_invalid_json', 'not_a_server_error', 'http', 'a malformed JSON body answers 500', () => ({ malformedJson: () => new MockError(500, 'internal', 'internal error') })),
  f('headers', 'missing_version_header', 'response_headers_conformance', 'invariants.versions', 'responses carry no X-Polytomic-Version', (b, { invariants }) => ({
    headers: (version, e) => without(b.headers(version, e), invariants.versions.header) as Record<string, string>,
  })),
  f('headers', 'version_header_ignores_request', 'response_headers_conformance', 'invariants.versions', 'X-Polytomic-Version always names the default version', (b) => ({
    headers: (_version, e) => b.headers(b.servedVersion(undefined)!, e),
  })),
  f('headers', 'rate_limit_without_retry_after', 'answers_match_profile', 'questions.rate_limit_retry_after', '429 answers carry no Retry-After', (b) => ({
    headers: (version, e) => without(b.headers(version, e), 'Retry-After') as Record<string, string>,
  })),
  f('status', 'rate_limit_503', 'not_a_server_error', 'http', 'rate-limited requests answer 503 (with Retry-After)', (b) => ({
    rateLimited: (s) => {
      const e = b.rateLimited(s);
      return new MockError(503, e.key, e.message, e.extra);
    },
  })),
  f('versions', 'older_version_rejected', 'version_negotiation', 'invariants.versions', 'supported versions other than the default answer like unknown ones', (b) => ({
    servedVersion: (requested) => (requested === undefined || requested === b.servedVersion(undefined) ? b.servedVersion(requested) : undefined),
  })),
  f('versions', 'unsupported_version_accepted', 'negative_data_rejection', 'questions.unsupported_version_status', 'an unknown X-Polytomic-Version is served as the default', (b) => ({
    servedVersion: (requested) => b.servedVersion(requested) ?? b.servedVersion(undefined),
  })),
  f('auth', 'no_auth_required', 'ignored_auth', 'invariants.unauthenticated', 'a request without credentials acts as the main partner', (b, { mainPartnerId }) => ({
    authenticate: (a) => (a ? b.authenticate(a) : { kind: 'partner', partnerId: mainPartnerId }),
  })),
  f('auth', 'unknown_token_accepted', 'ignored_auth', 'invariants.unauthenticated', 'an unknown bearer token acts as the main partner', (b, { mainPartnerId }) => ({
    authenticate: (a) => {
      const p = b.authenticate(a);
      return p instanceof MockError && a && /^bearer /i.test(a) ? { kind: 'partner', partnerId: mainPartnerId } : p;
    },
  })),
  f('auth', 'user_key_on_partner_routes', 'wrong_credential_kind', 'questions.wrong_credential_kind_status', "a user key works on partner routes as its organization's partner", (b, { store }) => ({
    authorize: (p, op) => (op.credentials.includes('partner') && !partnerLevel(p) ? { kind: 'partner', partnerId: store.orgs.get(p.orgId)!.partnerId } : b.authorize(p, op)),
  })),
  f('auth', 'partner_key_on_current_org', 'wrong_credential_kind', 'questions.wrong_credential_kind_status', 'a partner key works on current-org routes for its owner organization', (b, { store }) => ({
    authorize: (p, op) => (!op.credentials.includes('partner') && p.kind === 'partner' ? { kind: 'org_basic', orgId: store.partners.get(p.partnerId)!.ownerOrgId } : b.authorize(p, op)),
  })),
  f('auth', 'revoked_key_accepted', 'revoked_key_rejected', 'invariants.force_revokes_keys', 'force=true does not revoke earlier keys', (b) => ({ revokesOnMint: (force) => !force && b.revokesOnMint(false) })),
  f('auth', 'deleted_user_key_works', 'revoked_key_rejected', 'invariants.holder_delete_revokes_keys', "a deleted user's keys still authenticate, as that user in its organization", (b, { store }) => {
    const homeOf = new Map<string, string>();
    return {
      deleteUser: (user) => {
        homeOf.set(user.id, user.orgId);
        store.users.delete(user.id);
      },
      authenticate: (a) => {
        const p = b.authenticate(a);
        const userId = a && /^bearer /i.test(a) ? store.userKeys.get(a.slice(7).trim()) : undefined;
        return p instanceof MockError && userId && homeOf.has(userId) ? { kind: 'user', userId, orgId: homeOf.get(userId)! } : p;
      },
    };
  }),
  f('auth', 'basic_org_key_rejected', 'positive_data_acceptance', 'spec', 'the organization-scoped Basic key gets 401', (b) => ({
    authenticate: (a) => (a && /^basic /i.test(a) ? new MockError(401, 'unauthorized', 'unknown or revoked credentials') : b.authenticate(a)),
  })),
  f('keys', 'api_key_body_rejected', 'positive_data_acceptance', 'questions.api_key_body', "a JSON body on /keys (the docs' curl sends {}) answers 422", () => ({
    unexpectedBody: () => new MockError(422, 'unexpected_body', 'this route takes no body'),
  })),
  f('tenancy', 'foreign_partner_reads_orgs', 'cross_partner_access', 'invariants.tenant_scope', "any partner can read and change any partner's organizations and users", (b, { store }) => ({
    partnerOrg: (p, id) => store.orgs.get(id) ?? b.partnerOrg(p, id),
  })),
  f('tenancy', 'out_of_scope_403', 'cross_org_access', 'invariants.existence_not_revealed', "another partner's organization or organization's user answers 403, showing it exists", (b, { store }) => ({
    partnerOrg: (p, id) => {
      const r = b.partnerOrg(p, id);
      return r instanceof MockError && store.orgs.has(id) ? new MockError(403, 'forbidden', `organization ${id} belongs to another partner`) : r;
    },
    userIn: (org, id) => {
      const r = b.userIn(org, id);
      return r instanceof MockError && store.users.has(id) ? new MockError(403, 'forbidden', `user ${id} belongs to another organization`) : r;
    },
  })),
  f('tenancy', 'org_list_includes_foreign', 'org_list_isolation', 'invariants.tenant_scope', "organization lists include other partners' organizations", (_b, { store }) => ({ orgsListed: () => [...store.orgs.values()] })),
  f('tenancy', 'cross_org_user_lookup', 'cross_org_access', 'invariants.tenant_scope', '/organizations/{A}/users/{id} finds users of any organization', (b, { store }) => ({
    userIn: (org, id) => store.users.get(id) ?? b.userIn(org, id),
  })),
  f('tenancy', 'current_org_sees_all_users', 'answers_in_scope', 'invariants.tenant_scope', "current-org user lists include every organization's users", (_b, { store }) => ({
    currentOrgUsers: (org) => store.orgsOf(org.partnerId).flatMap((o) => store.usersOf(o.id)),
  })),
  f('tenancy', 'mass_assignment_org_id', 'mass_assignment', 'invariants.tenant_scope', 'organization_id in a create body moves the user there', (b, { store }) => ({
    createTarget: (org, body) => {
      const other = typeof body.organization_id === 'string' ? store.orgs.get(body.organization_id) : undefined;
      return other && other.partnerId === org.partnerId ? other : b.createTarget(org, body);
    },
  })),
  f('tenancy', 'owner_org_deletable', 'owner_org_protected', 'invariants.owner_org_protected', 'the owner organization can be deleted', () => ({ protectOwner: () => undefined })),
  f('tenancy', 'owner_org_not_first', 'owner_org_first', 'invariants.owner_org_first', 'the owner organization is listed last', (b) => ({
    orgsListed: (id) => {
      const orgs = b.orgsListed(id);
      return [...orgs.filter((o) => !o.owner), ...orgs.filter((o) => o.owner)];
    },
  })),
  f('validation', 'accepts_empty_role_ids', 'negative_data_rejection', 'spec', 'an empty role_ids is accepted', tolerating((i) => i.keyword === 'minItems' && i.pointer === '/role_ids')),
  f('validation', 'accepts_role_and_role_ids', 'negative_data_rejection', 'spec', 'role together with role_ids is accepted', tolerating((i) => i.keyword === 'not')),
  f('validation', 'accepts_missing_email', 'negative_data_rejection', 'spec', 'a user body without email is accepted', tolerating((i) => i.keyword === 'required' && i.message.includes("'email'"))),
  f('validation', 'accepts_non_uuid_role_id', 'negative_data_rejection', 'spec', 'a role_ids item that is not a uuid is accepted, and stored', (b) => ({
    ...tolerating((i) => i.keyword === 'format' && /^\/role_ids\/\d+$/.test(i.pointer))(b),
    roles: (org, body) => (Array.isArray(body.role_ids) && body.role_ids.some((r) => typeof r === 'string' && !UUID.test(r)) ? { role_ids: [...(body.role_ids as string[])] } : b.roles(org, body)),
  })),
  f('validation', 'idempotency_key_unchecked', 'negative_data_rejection', 'invariants.idempotency', 'a malformed Idempotency-Key is accepted', () => ({ idempotencyKeyValid: () => true })),
  f('validation', 'rejects_legacy_role', 'positive_data_acceptance', 'invariants.legacy_roles', 'a valid legacy role gets 422', (b) => ({
    roles: (org, body) => (typeof body.role === 'string' && !Array.isArray(body.role_ids) ? new MockError(422, 'unknown_role', `unknown role ${body.role}`) : b.roles(org, body)),
  })),
  f('validation', 'duplicate_org_name_allowed', 'unique_names', 'questions.duplicate_org_name_status', 'two organizations of a partner may share a name', () => ({ duplicateOrgName: () => undefined })),
  f('validation', 'duplicate_org_rename_allowed', 'unique_in_container', 'invariants.org_names_unique', "an organization may be renamed to another's name (creates are still refused)", (b) => ({
    duplicateOrgName: (partner, name, except) => (except ? undefined : b.duplicateOrgName(partner, name, except)),
  })),
  f('validation', 'duplicate_user_email_allowed', 'unique_names', 'questions.duplicate_user_email', 'two users of an organization may share an email', () => ({ duplicateUser: () => undefined })),
  f('state', 'delete_is_soft', 'use_after_free', 'spec', 'deleted organizations, users, roles and policies stay readable and listed', () => ({
    deleteUser: () => undefined,
    removeOrg: () => undefined,
    removeRole: () => undefined,
    removePolicy: () => undefined,
  })),
  f('state', 'deleted_org_relisted_later', 'use_after_free', 'spec', 'a deleted organization is gone from the first list after its delete, and back in every list after that (a replica that missed the delete)', (b) => {
    const ghosts: { org: Org; lists: number }[] = [];
    return {
      removeOrg: (org) => {
        b.removeOrg(org);
        ghosts.push({ org, lists: 0 });
      },
      orgsListed: (partnerId) => [...b.orgsListed(partnerId), ...ghosts.filter((g) => g.org.partnerId === partnerId && g.lists++ > 0).map((g) => g.org)],
    };
  }),
  f('state', 'stale_user_list_after_update', 'update_applied', 'spec', "user lists show a user's roles as they were before its last update; a read shows them as they are", (b) => {
    const before = new Map<string, unknown>();
    return {
      storeRoles: (user, next) => {
        before.set(user.id, user.role_ids);
        return b.storeRoles(user, next);
      },
      renderUserList: (users) => b.renderUserList(users.map((u) => (before.has(u.id as string) ? { ...u, role_ids: before.get(u.id as string) } : u))),
    };
  }),
  f('state', 'create_not_persisted', 'ensure_resource_availability', 'spec', 'users created on the current-org route are answered but not stored', (b) => ({
    persistUser: (user, op) => (op.id === 'users_createCurrentOrgUser' ? undefined : b.persistUser(user, op)),
  })),
  f('state', 'update_ignored', 'update_applied', 'spec', 'user role updates are answered but not stored', () => ({ storeRoles: (_user, next) => next })),
  f('state', 'update_user_changes_email', 'update_applied', 'invariants.update_user_email', 'a partner user update applies the email it requires', () => ({ updatedEmail: (_user, sent) => sent })),
  f('state', 'update_hits_newest_user', 'model_conformance', 'spec', "a role update answers for the user addressed but changes the organization's newest user", (b, { store }) => ({
    storeRoles: (user, next) => {
      const newest = store.usersOf(user.orgId).at(-1) ?? user;
      b.storeRoles(newest, { ...newest, role_ids: next.role_ids, ...(next.role ? { role: next.role } : {}) });
      return next;
    },
  })),
  f('state', 'sso_merged_on_update', 'update_applied', 'invariants.update_replaces_whole', 'organization updates merge SSO settings instead of replacing them', () => ({ updatedSso: (current, sent) => ({ ...current, ...sent }) })),
  f('idempotency', 'idempotency_not_replayed', 'idempotent_replay', 'invariants.idempotency', 'a repeated Idempotency-Key runs the request again', () => ({ replays: () => false })),
  f('idempotency', 'idempotency_in_flight_processed', 'idempotent_replay', 'invariants.idempotency', 'a duplicate arriving while the first is in flight runs too', () => ({ inFlight: () => 'run' })),
  f('idempotency', 'idempotency_reuse_rejected', 'idempotent_replay', 'invariants.idempotency', 'a key repeated with another request answers 422 instead of the first outcome', () => ({
    reused: () => new MockError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request'),
  })),
  f('latency', 'slow_list_orgs', 'max_response_time', 'http', 'GET /api/organizations waits faultDelayMs', (b, { faultDelayMs }) => ({
    delay: (op) => b.delay(op) + (op.id === 'organization_list' ? faultDelayMs : 0),
  })),
  f('robustness', 'method_not_allowed_without_allow', 'unsupported_method', 'http', '405 answers carry no Allow header', (b) => ({
    route: (method, declared, path) => {
      const r = b.route(method, declared, path);
      return r instanceof MockError ? new MockError(r.status, r.key, r.message) : r;
    },
  })),
  f('robustness', 'undeclared_method_500', 'not_a_server_error', 'http', 'undeclared methods answer 500', (b) => ({
    route: (method, declared, path) => {
      const r = b.route(method, declared, path);
      return r instanceof MockError ? new MockError(500, 'internal', 'unhandled method') : r;
    },
  })),
  f('permissions', 'foreign_role_accepted', 'cross_org_reference', 'questions.unknown_role_status', "a user's role_ids may name a role of any organization", (b, { store }) => ({
    roles: (org, body) => (Array.isArray(body.role_ids) && body.role_ids.every((r) => store.roles.has(r)) ? { role_ids: [...(body.role_ids as string[])] } : b.roles(org, body)),
  })),
  f('permissions', 'policy_foreign_role_accepted', 'cross_org_reference', 'questions.policy_unknown_role_status', 'a policy may bind a role of any organization', (b, { store }) => ({
    policyActions: (org, sent) => {
      const actions = (Array.isArray(sent) ? sent : []) as { action: string; role_ids?: string[] | null }[];
      return actions.every((a) => (a.role_ids ?? []).every((r) => store.roles.has(r))) ? actions.map((a) => ({ action: a.action, role_ids: a.role_ids ?? null })) : b.policyActions(org, sent);
    },
  })),
  f('permissions', 'deleted_role_assignable', 'cross_org_reference', 'questions.unknown_role_status', "a role deleted from an organization can still be given to its users", (b, { store }) => {
    const gone = new Map<string, string>();
    return {
      removeRole: (role) => {
        const refused = b.removeRole(role);
        if (!refused) gone.set(role.id, role.orgId);
        return refused;
      },
      roles: (org, body) => (Array.isArray(body.role_ids) && body.role_ids.length && body.role_ids.every((r) => gone.get(r as string) === org.id || store.roles.get(r as string)?.orgId === org.id) ? { role_ids: [...(body.role_ids as string[])] } : b.roles(org, body)),
    };
  }),
  f('permissions', 'user_key_sees_all_roles', 'answers_in_scope', 'invariants.tenant_scope', "a user key lists the roles of every organization of its partner", (b, { store }) => ({
    rolesListed: (org, p) => (p.kind === 'user' ? store.orgsOf(org.partnerId).flatMap((o) => b.rolesListed(o, p)) : b.rolesListed(org, p)),
  })),
  f('permissions', 'builtin_role_mutable', 'readonly_instances_protected', 'questions.system_role_update_status', 'built-in roles can be renamed and deleted', (b) => ({
    protectBuiltIn: (kind, action) => (kind === 'role' ? undefined : b.protectBuiltIn(kind, action)),
  })),
  f('permissions', 'builtin_roles_unmarked', 'readonly_instances_protected', 'questions.builtin_roles', 'built-in roles are rendered with system: false', (b) => ({
    renderRole: (role) => ({ ...b.renderRole(role), system: false }),
  })),
  f('permissions', 'policy_forgets_deleted_role', 'reference_after_delete', 'invariants.stale_role_ids_kept', "deleting a role removes its id from the policies that bind it", (b, { store }) => ({
    removeRole: (role) => {
      const refused = b.removeRole(role);
      if (refused) return refused;
      for (const p of store.policiesOf(role.orgId)) p.actions = p.actions.map((a) => ({ ...a, role_ids: a.role_ids?.filter((r) => r !== role.id) ?? null }));
      return undefined;
    },
  })),
  f('permissions', 'roles_of_other_orgs_readable', 'cross_org_access', 'invariants.tenant_scope', "a role of any organization can be read, changed and deleted with another organization's key", (b, { store }) => ({
    roleIn: (org, id) => store.roles.get(id) ?? b.roleIn(org, id),
  })),
  f('permissions', 'roles_list_all_orgs', 'answers_in_scope', 'invariants.tenant_scope', "role lists hold the roles of every organization of the partner", (b, { store }) => ({
    rolesListed: (org, p) => store.orgsOf(org.partnerId).flatMap((o) => b.rolesListed(o, p)),
  })),
  f('permissions', 'policy_update_merges', 'update_applied', 'invariants.update_replaces_whole', "a policy update adds the bindings it sends to those it had", (b, { store }) => ({
    storePolicy: (policy) => b.storePolicy({ ...policy, actions: [...(store.policies.get(policy.id)?.actions ?? []), ...policy.actions] }),
  })),
  f('permissions', 'role_rename_ignored', 'update_applied', 'spec', 'role updates are answered but not stored', () => ({ storeRole: (role) => role })),
  f('permissions', 'duplicate_role_name_allowed', 'unique_names', 'questions.duplicate_permission_name', 'two roles of an organization may share a name', () => ({ duplicatePermissionName: () => undefined })),
  f('permissions', 'role_org_id_honoured', 'mass_assignment', 'questions.permissions_organization_id', 'organization_id in a role or policy body moves it to that organization', (b, { store }) => ({
    permissionsTarget: (org, body) => {
      const other = typeof body.organization_id === 'string' ? store.orgs.get(body.organization_id) : undefined;
      return other && other.partnerId === org.partnerId ? other : b.permissionsTarget(org, body);
    },
  })),
  f('permissions', 'role_missing_organization_id', 'contract_required_fields', 'invariants.required_fields', 'RoleResponse.organization_id is left out', (b) => ({ renderRole: (role) => without(b.renderRole(role), 'organization_id') })),
  f('permissions', 'policy_unknown_action_accepted', 'negative_data_rejection', 'questions.policy_action_values', 'a policy action outside the known ones is accepted', tolerating((i) => i.keyword === 'enum' && /\/policy_actions\/\d+\/action$/.test(i.pointer))),
  f('auth', 'foreign_org_key_accepted', 'cross_partner_access', 'questions.foreign_org_key_status', "any partner's key scoped to an organization is accepted as that organization's", (b, { store }) => ({
    authenticate: (a) => {
      const p = b.authenticate(a);
      if (!(p instanceof MockError) || !a || !/^basic /i.test(a)) return p;
      const decoded = Buffer.from(a.slice(6).trim(), 'base64').toString('utf8');
      const org = store.orgs.get(decoded.slice(0, decoded.indexOf(':')));
      return org && [...store.partners.values()].some((x) => x.key === decoded.slice(decoded.indexOf(':') + 1)) ? { kind: 'org_basic', orgId: org.id } : p;
    },
  })),
  f('identity', 'identity_names_owner_org', 'identity_names_caller', 'invariants.identity_names_caller', "GET /api/me names a user key's partner's owner organization instead of the user's", (b, { store }) => ({
    identity: (p) => {
      const out = b.identity(p);
      const org = p.kind === 'user' ? store.orgs.get(p.orgId) : undefined;
      const owner = org ? store.partners.get(org.partnerId)?.ownerOrgId : undefined;
      return owner ? { ...out, organization_id: owner } : out;
    },
  })),
  f('identity', 'identity_partner_as_user', 'identity_names_caller', 'invariants.identity_names_caller', 'GET /api/me describes a partner key as a user', (b) => ({
    identity: (p) => (p.kind === 'partner' ? { ...b.identity(p), is_partner: false, is_user: true } : b.identity(p)),
  })),
  f('drift', 'undocumented_field', 'spec_drift', 'spec', 'users carry an undeclared `name` field', mapUser((u, user) => ({ ...u, name: user.email.split('@')[0] }))),
] as const satisfies readonly Fault[];

export type FaultName = (typeof FAULTS)[number]['name'];

export const FAULT_NAMES: ReadonlySet<string> = new Set(FAULTS.map((x) => x.name));

export function listFaults(): readonly Fault[] {
  return FAULTS;
}

/** Checks fault names; an unknown one is a user mistake naming the valid ones. */
export function parseFaults(names: string[]): Set<FaultName> {
  const unknown = names.filter((n) => !FAULT_NAMES.has(n));
  if (unknown.length) throw new UserError(`unknown mock fault ${unknown.join(', ')}; valid faults: ${[...FAULT_NAMES].join(', ')}`);
  return new Set(names as FaultName[]);
}

/** The behaviour with each fault's hooks laid over it, in the order given. */
export function withFaults(base: Behaviour, names: Iterable<FaultName>, ctx: BehaviourContext): Behaviour {
  let b = base;
  for (const name of names) {
    const fault = FAULTS.find((x) => x.name === name)!;
    b = { ...b, ...fault.apply(b, ctx) };
  }
  return b;
}
