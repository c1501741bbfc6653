import type { Answer } from '../../model/contracts';
import { resourcesOf } from '../../model/spec/resources';
import { rememberedHeaderName } from '../../model/spec/load';
import { credential, type Credential, NO_CREDENTIAL, orgScoped } from '../../target/credentials';
import type { Exchange } from '../../target/exchange';
import type { HttpRequest } from '../../target/http';
import { redactJson, secrets } from '../../target/redact';
import { Sandbox } from '../../target/sandbox';
import { buildRequest, isOperation, type RequestParts, type Route, type Target } from '../../target/target';
import { adoptAnswer, announce, type Instance, sendableKinds } from '../generation/plan';
import { callerAnswer } from '../../checks/identity_names_caller';
import { World } from '../generation/world';

/** What a probe saw: an answer to its question and the exchange that showed it, or why it could not tell. */
export type Observation = { answer: Answer; exchange: Exchange } | { skipped: string };

/**
 * Sends calibration requests inside one organization it creates (named like every resource a run
 * creates, recorded in the ledger, deleted at the end), and keeps every exchange.
 */
export class Prober {
  readonly sb: Sandbox;
  readonly world: World;
  readonly exchanges: Exchange[] = [];
  org!: Instance;

  constructor(readonly target: Target) {
    this.sb = new Sandbox(target, 'calibrate', async (op, request) => this.record(op, request));
    this.world = new World(this.sb, target);
  }

  private async record(route: Route, request: HttpRequest): Promise<Exchange> {
    const { response } = await this.target.client.send(request);
    const ex: Exchange = { operation: isOperation(route) ? route : undefined, request, response, intent: { kind: 'probe' } };
    this.exchanges.push(ex);
    return ex;
  }

  /** The calibration organization's scoped key (organization-scoped Basic credentials). */
  get orgKey(): Credential {
    return orgScoped(this.target.own, this.org.id);
  }

  /**
   * Sends to an operation (by id) or to a bare route, as the partner unless told otherwise. A
   * create is announced in the ledger first and whatever a 2xx made is recorded for cleanup.
   */
  async send(opOrRoute: string | Route, parts: RequestParts = {}, within: Instance | undefined = this.org): Promise<Exchange> {
    const route = typeof opOrRoute === 'string' ? this.target.spec.byId.get(opOrRoute) : opOrRoute;
    if (!route) throw new Error(`the spec has no operation ${opOrRoute}`);
    const op = isOperation(route) ? route : undefined;
    const r = op ? resourcesOf(this.target.spec).routeOf.get(op.id) : undefined;
    const body = parts.body as Record<string, unknown> | undefined;
    const marker = r?.role === 'create' && typeof body?.[r.resource.marker] === 'string' ? String(body[r.resource.marker]).split(/[@.]/)[0] : undefined;
    if (r && marker) announce(this.world, r.resource, marker, r.resource.within ? within : undefined);
    const ex = await this.record(route, buildRequest(this.target, route, { credential: this.target.own, ...parts }));
    if (op) adoptAnswer(this.world, op, ex, r?.resource.within ? within : undefined);
    if (marker) this.sb.settle(marker);
    return ex;
  }

  /** A new user of the calibration organization. */
  user(): Promise<Instance> {
    return this.world.fresh('user', { within: this.org });
  }

  /** A key for a user of the calibration organization. */
  async key(user: Instance, force = false): Promise<{ key?: Credential; exchange: Exchange }> {
    const ex = await this.send('users_createApiKey', { params: { org_id: user.within!.id, id: user.id }, ...(force ? { query: { force: 'true' } } : {}) });
    const value = (ex.response.json as { data?: { value?: unknown } } | undefined)?.data?.value;
    return { key: typeof value === 'string' ? credential('user', value, 'USER_KEY', { scope: user.within!.id, holder: user.id, root: this.target.own.root }) : undefined, exchange: ex };
  }
}

const status = (ex: Exchange) => ex.response.status;
const ok = (ex: Exchange) => status(ex) >= 200 && status(ex) < 300;
const dataOf = (ex: Exchange) => (ex.response.json as { data?: Record<string, unknown> } | undefined)?.data;
const seen = (answer: Answer, exchange: Exchange): Observation => ({ answer, exchange });
/** The header a server remembers (the spec's idempotency key). */
const remembered = (p: Prober) => rememberedHeaderName(p.target.spec) ?? 'x-unique-per-request';

/** A probe per open question. Each sends as little as it can inside the calibration organization. */
export type Probe = (p: Prober) => Promise<Observation>;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The probes, by question. A question without a probe keeps the base profile's answer, and the
 * proposal says why it was not calibrated.
 */
export const PROBES: Record<string, Probe | string> = {
  default_version: async (p) => {
    const ex = await p.send('organization_list', { version: null });
    const v = ex.response.headers[p.target.contracts.invariants.versions.header.toLowerCase()];
    return v ? seen(v.split(',')[0].trim(), ex) : { skipped: `the answer carried no ${p.target.contracts.invariants.versions.header}` };
  },
  unsupported_version_status: async (p) => {
    const ex = await p.send('organization_list', { version: '1999-01-01' });
    return seen(status(ex), ex);
  },
  validation_status: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: {} });
    return seen(status(ex), ex);
  },
  type_error_status: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: 42 } });
    return seen(status(ex), ex);
  },
  malformed_json_status: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, rawBody: '{"email": ' });
    return seen(status(ex), ex);
  },
  malformed_id_status: async (p) => {
    const ex = await p.send('organization_get', { params: { id: 'not-a-uuid' } });
    return seen(status(ex), ex);
  },
  malformed_header_status: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: p.sb.uniqueEmail() }, headers: { [remembered(p)]: 'bad key!' } });
    return seen(status(ex), ex);
  },
  malformed_query_status: async (p) => {
    const user = await p.user();
    const ex = await p.send('users_createApiKey', { params: { org_id: p.org.id, id: user.id }, query: { force: 'maybe' } });
    return seen(status(ex), ex);
  },
  not_found_status: async (p) => {
    const ex = await p.send('organization_get', { params: { id: UNKNOWN_ID } });
    return seen(status(ex), ex);
  },
  org_delete_status: async (p) => {
    const doomed = await p.world.fresh('organization');
    const ex = await p.send('organization_delete', { params: { id: doomed.id } });
    return seen(status(ex), ex);
  },
  owner_org_delete_status: 'probing it would delete the owner organization of a server that allows it',
  duplicate_org_name_status: async (p) => {
    const ex = await p.send('organization_create', { body: { name: p.org.data.name } });
    return seen(status(ex), ex);
  },
  duplicate_user_email: async (p) => {
    const user = await p.user();
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: user.data.email } });
    return ok(ex) ? seen(dataOf(ex)?.id === user.id ? 'existing' : `a second user (${status(ex)})`, ex) : seen(status(ex), ex);
  },
  wrong_credential_kind_status: async (p) => {
    const ex = await p.send('organization_getCurrent', { credential: p.target.own });
    return seen(status(ex), ex);
  },
  unauthorized_body: async (p) => {
    const ex = await p.send('organization_list', { credential: NO_CREDENTIAL });
    if (status(ex) !== 401) return { skipped: `a request without credentials got ${status(ex)}, not 401` };
    const mark = ex.operation?.responses.get('401')?.question;
    const matches = Object.entries(mark?.bySchema ?? {}).filter(([, pointer]) => p.target.validators.at(pointer)(ex.response.json)).map(([a]) => a);
    return matches.length === 1 ? seen(matches[0], ex) : { skipped: `the 401 body matches ${matches.join(' and ') || 'no known shape'}` };
  },
  undeclared_method_status: async (p) => {
    const ex = await p.send({ method: 'delete', path: `/api/organizations/${p.org.id}/users` });
    return seen(status(ex), ex);
  },
  patch_on_update: async (p) => {
    const ex = await p.send({ method: 'patch', path: `/api/organizations/${p.org.id}` }, { body: { name: p.sb.uniqueName('org') } });
    return seen(ok(ex) ? 'accepted' : 'refused', ex);
  },
  rate_limit_retry_after: 'a 429 cannot be provoked with a handful of requests',
  api_key_repeat_without_force: async (p) => {
    const user = await p.user();
    const first = (await p.key(user)).key;
    if (!first || !ok(await p.send('organization_getCurrent', { credential: first }))) return { skipped: 'a new user key does not work, so its revocation cannot be seen' };
    await p.key(user);
    const again = await p.send('organization_getCurrent', { credential: first });
    return seen(ok(again) ? 'second_key' : 'revokes_earlier', again);
  },
  api_key_body: async (p) => {
    const user = await p.user();
    const ex = await p.send('users_createApiKey', { params: { org_id: p.org.id, id: user.id }, body: {} });
    return seen(ok(ex) ? 'ignored' : 'rejected', ex);
  },
  idempotency_on_put: async (p) => {
    const headers = { [remembered(p)]: `ct-cal-${Date.now()}-put` };
    const first = await p.send('organization_update', { params: { id: p.org.id }, body: { name: p.sb.uniqueName('org') }, headers });
    const again = await p.send('organization_update', { params: { id: p.org.id }, body: { name: p.sb.uniqueName('org') }, headers });
    if (!ok(first) || !ok(again)) return { skipped: `the updates got ${status(first)} and ${status(again)}` };
    return seen(dataOf(again)?.name === dataOf(first)?.name ? 'replayed' : 'ignored', again);
  },
  idempotency_on_delete: async (p) => {
    const user = await p.user();
    const parts = { params: { org_id: p.org.id, id: user.id }, headers: { [remembered(p)]: `ct-cal-${Date.now()}-del` } };
    const first = await p.send('users_delete', parts);
    const again = await p.send('users_delete', parts);
    return seen(status(again) === status(first) ? 'replayed' : 'ignored', again);
  },
  idempotency_scope: async (p) => {
    const [a, b] = [(await p.key(await p.user())).key, (await p.key(await p.user())).key];
    if (!a || !b) return { skipped: 'no user keys to compare' };
    const shared = { body: { email: p.sb.uniqueEmail() }, headers: { [remembered(p)]: `ct-cal-${Date.now()}-scope` } };
    const mine = await p.send('users_createCurrentOrgUser', { credential: a, ...shared });
    const theirs = await p.send('users_createCurrentOrgUser', { credential: b, ...shared });
    if (!ok(mine)) return { skipped: `a user key could not create a user (${status(mine)})` };
    return seen(status(theirs) === status(mine) && dataOf(theirs)?.id === dataOf(mine)?.id ? 'account' : 'credential', theirs);
  },
  new_user_key_works: async (p) => {
    const { key } = await p.key(await p.user());
    if (!key) return { skipped: 'no key was minted' };
    const ex = await p.send('organization_getCurrent', { credential: key });
    return seen(ok(ex) ? 'yes' : 'no', ex);
  },
  request_email_format: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: `${p.sb.uniqueName('u')}-no-at-sign` } });
    return seen(ok(ex) ? 'not_enforced' : 'enforced', ex);
  },
  request_length_limits: async (p) => {
    const name = `${p.sb.uniqueName('org')}-${'x'.repeat(255)}`.slice(0, 256);
    const ex = await p.send('organization_create', { body: { name } });
    return seen(ok(ex) ? 'not_enforced' : 'enforced', ex);
  },

  permissions_validation_status: async (p) => {
    const ex = await p.send('roles_create', { credential: p.orgKey, body: {} });
    return seen(status(ex), ex);
  },
  permissions_delete_status: async (p) => {
    const role = await role_(p);
    const ex = await p.send('roles_delete', { credential: p.orgKey, params: { id: role.id } });
    return seen(status(ex), ex);
  },
  unknown_role_status: async (p) => {
    const ex = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: p.sb.uniqueEmail(), role_ids: [UNKNOWN_ID] } });
    return seen(ok(ex) ? 'accepted' : status(ex), ex);
  },
  policy_unknown_role_status: async (p) => {
    const ex = await p.send('policies_create', { credential: p.orgKey, body: { name: p.sb.uniqueName('pol'), policy_actions: [{ action: 'read', role_ids: [UNKNOWN_ID] }] } });
    return seen(ok(ex) ? 'accepted' : status(ex), ex);
  },
  system_role_update_status: onBuiltIn('roles_list', 'role', (p, b) => p.send('roles_update', { credential: p.orgKey, params: { id: String(b.id) }, body: { name: b.name } })),
  // Inside the calibration organization, which is deleted at the end anyway.
  system_role_delete_status: onBuiltIn('roles_list', 'role', (p, b) => p.send('roles_delete', { credential: p.orgKey, params: { id: String(b.id) } })),
  system_policy_update_status: onBuiltIn('policies_list', 'policy', (p, b) =>
    p.send('policies_update', { credential: p.orgKey, params: { id: String(b.id) }, body: { name: b.name, policy_actions: b.policy_actions ?? [] } }),
  ),
  system_policy_delete_status: onBuiltIn('policies_list', 'policy', (p, b) => p.send('policies_delete', { credential: p.orgKey, params: { id: String(b.id) } })),
  role_delete_effect_on_users: async (p) => {
    const role = await role_(p);
    const user = await p.send('users_create', { params: { org_id: p.org.id }, body: { email: p.sb.uniqueEmail(), role_ids: [role.id] } });
    if (!ok(user)) return { skipped: `a user with a custom role could not be created (${status(user)})` };
    const del = await p.send('roles_delete', { credential: p.orgKey, params: { id: role.id } });
    if (!ok(del)) return seen('refused', del);
    const after = await p.send('users_get', { params: { org_id: p.org.id, id: String(dataOf(user)?.id) } });
    const held = dataOf(after)?.role_ids;
    return seen(Array.isArray(held) && held.includes(role.id) ? 'kept' : 'removed', after);
  },
  duplicate_permission_name: async (p) => {
    const role = await role_(p);
    const ex = await p.send('roles_create', { credential: p.orgKey, body: { name: role.name } });
    return seen(ok(ex) ? 'allowed' : status(ex), ex);
  },
  builtin_roles: async (p) => {
    const ex = await p.send('roles_list', { credential: p.orgKey });
    const names = (Array.isArray(dataOf(ex)) ? (dataOf(ex) as unknown as Record<string, unknown>[]) : []).filter((r) => r.system === true).map((r) => String(r.name));
    return names.length ? seen(names.sort((a, b) => a.localeCompare(b)).join(', '), ex) : { skipped: 'the organization lists no built-in role' };
  },
  policy_action_values: async (p) => {
    const ex = await p.send('policies_create', { credential: p.orgKey, body: { name: p.sb.uniqueName('pol'), policy_actions: [{ action: 'not_an_action', role_ids: [] }] } });
    return seen(ok(ex) ? 'not_enforced' : 'enforced', ex);
  },
  permissions_organization_id: async (p) => {
    const other = await p.world.fresh('organization');
    const ex = await p.send('roles_create', { credential: p.orgKey, body: { name: p.sb.uniqueName('rol'), organization_id: other.id } });
    return seen(!ok(ex) ? 'rejected' : dataOf(ex)?.organization_id === other.id ? 'honoured' : 'ignored', ex);
  },
  foreign_org_key_status: async (p) => {
    if (!p.target.foreignPartner) return { skipped: 'POLYTOMIC_FOREIGN_PARTNER_KEY is not set' };
    const ex = await p.send('roles_list', { credential: orgScoped(p.target.foreignPartner, p.org.id) });
    return seen(ok(ex) ? 'accepted' : status(ex), ex);
  },
  org_key_identity: (p) => identityAnswer(p, 'org_key_identity'),
  deployment_key_identity: (p) => identityAnswer(p, 'deployment_key_identity'),
};

/**
 * How the identity operation names a kind of credential whose rule a question answers
 * (invariants identity_names_caller): sent with the first such kind this run can make.
 */
async function identityAnswer(p: Prober, question: string): Promise<Observation> {
  const rule = p.target.contracts.invariants.identity_names_caller;
  const kinds = Object.entries(rule.callers).filter(([, c]) => c['answered-by'] === question).map(([k]) => k);
  const kind = kinds.find((k) => sendableKinds(p.target).includes(k));
  if (!kind) return { skipped: `this run can make no ${kinds.join(' or ')} credential of ${p.target.own.label}` };
  const cred = await p.world.credential(kind, p.org);
  const ex = await p.send(rule.operation, { credential: cred });
  if (!ok(ex)) return { skipped: `a ${kind} credential got ${status(ex)}` };
  return seen(callerAnswer(rule.callers[kind], dataOf(ex), { holder: cred.holder, scope: cred.scope }) ?? 'neither', ex);
}

/** A custom role of the calibration organization. */
async function role_(p: Prober): Promise<{ id: string; name: string }> {
  const ex = await p.send('roles_create', { credential: p.orgKey, body: { name: p.sb.uniqueName('rol') } });
  const d = dataOf(ex);
  if (!ok(ex) || typeof d?.id !== 'string') throw new Error(`creating a custom role got ${status(ex)}`);
  return { id: d.id, name: String(d.name) };
}

/** The first built-in (system) instance a list of the calibration organization holds. */
/** A probe that acts on the first built-in instance the organization lists: allowed, or the status that refused it. */
function onBuiltIn(listOp: string, kind: string, act: (p: Prober, builtIn: Record<string, unknown>) => Promise<Exchange>): Probe {
  return async (p) => {
    const listed = dataOf(await p.send(listOp, { credential: p.orgKey }));
    const builtIn = (Array.isArray(listed) ? (listed as Record<string, unknown>[]) : []).find((x) => x.system === true && typeof x.id === 'string');
    if (!builtIn) return { skipped: `the organization lists no built-in ${kind}` };
    const ex = await act(p, builtIn);
    return seen(ok(ex) ? 'allowed' : status(ex), ex);
  };
}

/** The exchange as evidence a person can read: the request line, and the status with a short, redacted body. */
export function evidence(ex: Exchange, header: string): { request: string; response: string } {
  const { request, response } = ex;
  const query = request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query)}` : '';
  const version = request.headers[header];
  const sent = request.rawBody ?? (request.body === undefined ? '' : JSON.stringify(redactJson(request.body)));
  const body = response.json === undefined ? response.text : JSON.stringify(redactJson(response.json));
  return {
    request: secrets.redactText(`${request.method} ${request.path}${query}${version ? ` (${header}: ${version})` : ` (no ${header})`}${sent ? ` ${sent.slice(0, 120)}` : ''}`),
    response: secrets.redactText(`${response.status}${body ? ` ${body.slice(0, 160)}` : ''}`),
  };
}
