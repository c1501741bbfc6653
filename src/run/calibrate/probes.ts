import type { Answer } from '../../model/contracts';
import { type FieldMark, fieldMarks, requiredOnly } from '../../model/spec/fields';
import { type CredentialScheme, type Operation, rememberedHeaderName, type Spec } from '../../model/spec/load';
import { followRefs, type Node, valueAt } from '../../model/spec/pointer';
import { isReadonly, type Resource, resourceOf, resourcesOf } from '../../model/spec/resources';
import { credential, type Credential, NO_CREDENTIAL, orgScoped } from '../../target/credentials';
import type { Exchange } from '../../target/exchange';
import type { HttpRequest } from '../../target/http';
import { redactJson, secrets } from '../../target/redact';
import { Sandbox } from '../../target/sandbox';
import { buildRequest, fillPath, isOperation, type RequestParts, type Route, type Target } from '../../target/target';
import { adoptAnswer, announce, type Instance, mintedScheme, pathParams, scopeKind, sendableKinds, withMarker } from '../generation/plan';
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

  /**
   * Sends to an operation as a valid request of the run would: with the credential and path its
   * plan gives, acting in the calibration organization unless `at` names an instance; `parts` laid over.
   */
  async to(op: Operation, parts: RequestParts = {}, at: { target?: Instance; within?: Instance } = {}): Promise<Exchange> {
    const within = at.within ?? this.org;
    const plan = await this.world.plan(op.id, { within, ...(at.target ? { target: at.target } : {}) });
    return this.send(op, { credential: plan.credential, params: plan.params, ...parts }, within);
  }

  /** A new instance of a resource living in the calibration organization. */
  fresh(kind: string): Promise<Instance> {
    return this.world.fresh(kind, { within: this.org });
  }

  /** A value of a resource's marker field carrying a new run name (its format kept). */
  markerValue(r: Resource): string {
    const create = r.routes[0].create;
    const { doc } = this.target.spec;
    const body = create.requestBody ? followRefs(doc, { $ref: create.requestBody.schemaPointer }, '').node : undefined;
    const field = body?.properties?.[r.marker] ? followRefs(doc, body.properties[r.marker], '').node : undefined;
    return withMarker(this.sb.uniqueName(r.kind.slice(0, 3)), undefined, field);
  }

  /** A key minted (by the operation the spec's minted credential names) for `holder`. */
  async key(holder: Instance, force = false): Promise<{ key?: Credential; exchange: Exchange }> {
    const { op, scheme } = minting(this);
    const ex = await this.to(op, force ? { query: { [flagOf(op)!]: 'true' } } : {}, { target: holder });
    const value = scheme.valuePointer ? valueAt(ex.response.json, scheme.valuePointer) : undefined;
    return { key: typeof value === 'string' ? credential(scheme.kind, value, 'USER_KEY', { scope: holder.within!.id, holder: holder.id, root: this.target.own.root }) : undefined, exchange: ex };
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

/** Where instances live (organizations): the resource a scoped credential names. */
const scopeOf = (p: Prober): Resource => resourceOf(p.target.spec, scopeKind(p.target.spec) ?? '');
/** The first resource living in it (users): what the status probes create. */
const innerOf = (p: Prober): Resource => {
  const r = [...resourcesOf(p.target.spec).byKind.values()].find((x) => x.within?.kind === scopeOf(p).kind);
  if (!r) throw new Error(`the spec has no resource living in a ${scopeOf(p).kind}`);
  return r;
};

/** The credential the spec says is minted, and the operation minting it. */
function minting(p: Prober): { op: Operation; scheme: CredentialScheme } {
  const scheme = mintedScheme(p.target.spec);
  const op = scheme?.mintedBy ? p.target.spec.byId.get(scheme.mintedBy) : undefined;
  if (!scheme || !op) throw new Error('the spec mints no credential (x-credential minted-by)');
  return { op, scheme };
}

/** An operation's first boolean query parameter (force=true). */
const flagOf = (op: Operation): string | undefined => op.params.find((x) => x.in === 'query' && x.schema?.type === 'boolean')?.name;

/** The first read without path parameters whose credentials `fits`: what shows whether a key works where it acts. */
const plainRead = (p: Prober, fits: (kinds: readonly string[]) => boolean): Operation | undefined =>
  p.target.spec.operations.find((o) => o.method === 'get' && !pathParams(o).length && fits(o.credentials));

/** A read a minted key may send. */
function keyRead(p: Prober): Operation {
  const kind = minting(p).scheme.kind;
  const op = plainRead(p, (kinds) => kinds.includes(kind));
  if (!op) throw new Error(`no read without path parameters takes a ${kind} credential`);
  return op;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The probes of questions a request answers, by question. Questions the spec ties to a resource
 * or a field (a duplicate, a built-in instance, a reference, an assumed constraint) get theirs
 * from where the spec ties them (`derivedProbe`). A question without either keeps the base
 * profile's answer, and the proposal says why it was not calibrated.
 */
export const PROBES: Record<string, Probe | string> = {
  default_version: async (p) => {
    const ex = await p.to(scopeOf(p).routes[0].list, { version: null });
    const v = ex.response.headers[p.target.contracts.invariants.versions.header.toLowerCase()];
    return v ? seen(v.split(',')[0].trim(), ex) : { skipped: `the answer carried no ${p.target.contracts.invariants.versions.header}` };
  },
  unsupported_version_status: async (p) => {
    const ex = await p.to(scopeOf(p).routes[0].list, { version: '1999-01-01' });
    return seen(status(ex), ex);
  },
  malformed_id_status: async (p) => {
    const ex = await p.to(scopeOf(p).routes[0].read, {}, { target: { kind: scopeOf(p).kind, id: 'not-a-uuid', data: {} } });
    return seen(status(ex), ex);
  },
  malformed_header_status: async (p) => {
    const inner = innerOf(p);
    const ex = await p.to(inner.routes[0].create, { body: { [inner.marker]: p.markerValue(inner) }, headers: { [remembered(p)]: 'bad key!' } });
    return seen(status(ex), ex);
  },
  malformed_query_status: async (p) => {
    const { op } = minting(p);
    const flag = flagOf(op);
    if (!flag) return { skipped: `${op.id} takes no boolean query parameter` };
    const holder = await p.fresh(pathParams(op).at(-1)!.resource!);
    const ex = await p.to(op, { query: { [flag]: 'maybe' } }, { target: holder });
    return seen(status(ex), ex);
  },
  not_found_status: async (p) => {
    const ex = await p.to(scopeOf(p).routes[0].read, {}, { target: { kind: scopeOf(p).kind, id: UNKNOWN_ID, data: {} } });
    return seen(status(ex), ex);
  },
  owner_org_delete_status: 'probing it would delete the owner organization of a server that allows it',
  wrong_credential_kind_status: async (p) => {
    const { own } = p.target;
    const op = plainRead(p, (kinds) => !kinds.includes(own.kind) && kinds.some((k) => k === own.scopedKind));
    if (!op) return { skipped: `no read without path parameters refuses a ${own.kind} credential` };
    const ex = await p.send(op, { credential: own });
    return seen(status(ex), ex);
  },
  unauthorized_body: async (p) => {
    const ex = await p.to(scopeOf(p).routes[0].list, { credential: NO_CREDENTIAL });
    if (status(ex) !== 401) return { skipped: `a request without credentials got ${status(ex)}, not 401` };
    const mark = ex.operation?.responses.get('401')?.question;
    const matches = Object.entries(mark?.bySchema ?? {}).filter(([, pointer]) => p.target.validators.at(pointer)(ex.response.json)).map(([a]) => a);
    return matches.length === 1 ? seen(matches[0], ex) : { skipped: `the 401 body matches ${matches.join(' and ') || 'no known shape'}` };
  },
  undeclared_method_status: async (p) => {
    const list = innerOf(p).routes[0].list;
    const method = (['delete', 'patch', 'put'] as const).find((m) => !p.target.spec.methodsByPath.get(list.path)?.includes(m));
    if (!method) return { skipped: `${list.path} declares every method` };
    const { params } = await p.world.plan(list.id, { within: p.org, target: p.org });
    const ex = await p.send({ method, path: fillPath(list.path, params) });
    return seen(status(ex), ex);
  },
  patch_on_update: async (p) => {
    const update = scopeOf(p).routes[0].update;
    if (!update || update.method === 'patch') return { skipped: 'the update is no PUT' };
    const { params } = await p.world.plan(update.id, { target: p.org });
    const ex = await p.send({ method: 'patch', path: fillPath(update.path, params) }, { body: { [scopeOf(p).marker]: p.markerValue(scopeOf(p)) } });
    return seen(ok(ex) ? 'accepted' : 'refused', ex);
  },
  rate_limit_retry_after: 'a 429 cannot be provoked with a handful of requests',
  api_key_repeat_without_force: async (p) => {
    const holder = await p.fresh(pathParams(minting(p).op).at(-1)!.resource!);
    const first = (await p.key(holder)).key;
    if (!first || !ok(await p.send(keyRead(p), { credential: first }))) return { skipped: 'a new key does not work, so its revocation cannot be seen' };
    await p.key(holder);
    const again = await p.send(keyRead(p), { credential: first });
    return seen(ok(again) ? 'second_key' : 'revokes_earlier', again);
  },
  api_key_body: async (p) => {
    const { op } = minting(p);
    const ex = await p.to(op, { body: {} }, { target: await p.fresh(pathParams(op).at(-1)!.resource!) });
    return seen(ok(ex) ? 'ignored' : 'rejected', ex);
  },
  idempotency_on_put: async (p) => {
    const s = scopeOf(p);
    if (!s.routes[0].update) return { skipped: `a ${s.kind} has no update` };
    const headers = { [remembered(p)]: `ct-cal-${Date.now()}-put` };
    const first = await p.to(s.routes[0].update, { body: { [s.marker]: p.markerValue(s) }, headers }, { target: p.org });
    const again = await p.to(s.routes[0].update, { body: { [s.marker]: p.markerValue(s) }, headers }, { target: p.org });
    if (!ok(first) || !ok(again)) return { skipped: `the updates got ${status(first)} and ${status(again)}` };
    return seen(dataOf(again)?.[s.marker] === dataOf(first)?.[s.marker] ? 'replayed' : 'ignored', again);
  },
  idempotency_on_delete: async (p) => {
    const inner = innerOf(p);
    const doomed = await p.fresh(inner.kind);
    const headers = { [remembered(p)]: `ct-cal-${Date.now()}-del` };
    const first = await p.to(inner.routes[0].delete, { headers }, { target: doomed });
    const again = await p.to(inner.routes[0].delete, { headers }, { target: doomed });
    return seen(status(again) === status(first) ? 'replayed' : 'ignored', again);
  },
  idempotency_scope: async (p) => {
    const inner = innerOf(p);
    const { scheme, op } = minting(p);
    const create = inner.routes.map((set) => set.create).find((c) => c.credentials.includes(scheme.kind));
    if (!create) return { skipped: `no create of a ${inner.kind} takes a ${scheme.kind} credential` };
    const holderKind = pathParams(op).at(-1)!.resource!;
    const [a, b] = [(await p.key(await p.fresh(holderKind))).key, (await p.key(await p.fresh(holderKind))).key];
    if (!a || !b) return { skipped: 'no keys to compare' };
    const shared = { body: { [inner.marker]: p.markerValue(inner) }, headers: { [remembered(p)]: `ct-cal-${Date.now()}-scope` } };
    const mine = await p.send(create, { credential: a, ...shared });
    const theirs = await p.send(create, { credential: b, ...shared });
    if (!ok(mine)) return { skipped: `a ${scheme.kind} credential could not create a ${inner.kind} (${status(mine)})` };
    return seen(status(theirs) === status(mine) && dataOf(theirs)?.id === dataOf(mine)?.id ? 'account' : 'credential', theirs);
  },
  new_user_key_works: async (p) => {
    const { key } = await p.key(await p.fresh(pathParams(minting(p).op).at(-1)!.resource!));
    if (!key) return { skipped: 'no key was minted' };
    const ex = await p.send(keyRead(p), { credential: key });
    return seen(ok(ex) ? 'yes' : 'no', ex);
  },
  foreign_org_key_status: async (p) => {
    if (!p.target.foreignPartner) return { skipped: 'POLYTOMIC_FOREIGN_PARTNER_KEY is not set' };
    const { own } = p.target;
    const op = plainRead(p, (kinds) => kinds.some((k) => k === own.scopedKind));
    if (!op) return { skipped: 'no read without path parameters takes an organization-scoped credential' };
    const ex = await p.send(op, { credential: orgScoped(p.target.foreignPartner, p.org.id) });
    return seen(ok(ex) ? 'accepted' : status(ex), ex);
  },
  org_key_identity: (p) => identityAnswer(p, 'org_key_identity'),
  deployment_key_identity: (p) => identityAnswer(p, 'deployment_key_identity'),
};

/** The probe of a question: the one the spec derives from where it ties the question, else the table's. */
export function probeFor(spec: Spec, question: string): Probe | string | undefined {
  return derivedProbe(spec, question) ?? PROBES[question];
}

/**
 * A probe made from where the spec ties a question: a resource's duplicate, built-in instances
 * (their names, an update, a delete), a reference field (to nothing, to another container's, after
 * its instance is deleted), a constraint the spec assumes.
 */
function derivedProbe(spec: Spec, q: string): Probe | undefined {
  const all = [...resourcesOf(spec).byKind.values()];
  for (const r of all) {
    for (const set of r.routes) {
      const rejected = set.create.requestBody?.rejectedAs;
      const how = rejected && (['rule', 'type', 'syntax'] as const).find((k) => rejected[k] === q);
      if (how) return badBody(r, set.create, how);
      if ([...set.delete.responses.values()].some((x) => x.status.startsWith('2') && x.question?.id === q)) return deleted(r, set.delete);
    }
  }
  const dup = all.find((r) => r.duplicateAnsweredBy === q);
  if (dup) return duplicateProbe(dup);
  const ro = all.find((r) => r.readonly?.updateRejectedAs === q || r.readonly?.deleteRejectedAs === q || r.readonly?.namesAnsweredBy === q);
  if (ro) return ro.readonly!.namesAnsweredBy === q ? builtInNames(ro) : onBuiltIn(ro, ro.readonly!.updateRejectedAs === q ? 'update' : 'delete');
  for (const r of all) {
    // What a reference becomes once its instance is deleted is said on the entity that holds it.
    const held = fieldMarks(spec.doc, `#/components/schemas/${r.entity}`).find((m) => m.afterDelete?.question === q && m.resource);
    if (held) return afterDelete(r, r.routes[0].create, held);
    for (const create of r.routes.map((set) => set.create)) {
      if (!create.requestBody) continue;
      for (const m of fieldMarks(spec.doc, create.requestBody.schemaPointer)) {
        if (m.unknownRejectedAs === q && m.resource) return unknownReference(create, m);
        if (m.otherAnsweredBy === q) return otherContainer(create, m);
      }
      const site = assumed(spec, create, q);
      if (site) return violated(create, site);
    }
  }
  return undefined;
}

/** The status of a create whose body breaks a rule (empty), a type (the marker a number) or JSON's syntax. */
function badBody(r: Resource, create: Operation, how: 'rule' | 'type' | 'syntax'): Probe {
  return async (p) => {
    const parts = how === 'rule' ? { body: {} } : how === 'type' ? { body: { [r.marker]: 42 } } : { rawBody: `{"${r.marker}": ` };
    const ex = await p.to(create, parts);
    return seen(status(ex), ex);
  };
}

/** The status of a delete that succeeds, of an instance made for it. */
function deleted(r: Resource, del: Operation): Probe {
  return async (p) => {
    const doomed = r.within ? await p.fresh(r.kind) : await p.world.fresh(r.kind);
    const ex = await p.to(del, {}, { target: doomed });
    return seen(status(ex), ex);
  };
}

/** What a create naming the same marker as an instance it made gets: refused (its status), the existing instance, or allowed. */
function duplicateProbe(r: Resource): Probe {
  return async (p) => {
    const existing = r.kind === scopeOf(p).kind ? p.org : await p.fresh(r.kind);
    const ex = await p.to(r.routes[0].create, { body: { [r.marker]: existing.data[r.marker] } });
    if (!ok(ex)) return seen(status(ex), ex);
    const answers = p.target.contracts.questions.get(r.duplicateAnsweredBy!)?.answers.map(String) ?? [];
    if (answers.includes('existing')) return seen(dataOf(ex)?.id === existing.id ? 'existing' : `a second ${r.kind} (${status(ex)})`, ex);
    return seen(answers.includes('allowed') ? 'allowed' : status(ex), ex);
  };
}

/** The first built-in instance the calibration organization lists, or why there is none. */
async function firstBuiltIn(p: Prober, r: Resource): Promise<{ listed: Record<string, unknown>[]; exchange: Exchange }> {
  const exchange = await p.to(r.routes[0].list, {}, { target: p.org });
  const data = dataOf(exchange);
  return { listed: (Array.isArray(data) ? (data as Record<string, unknown>[]) : []).filter((x) => isReadonly(r, x) && typeof x.id === 'string'), exchange };
}

function builtInNames(r: Resource): Probe {
  return async (p) => {
    const { listed, exchange } = await firstBuiltIn(p, r);
    const names = listed.map((x) => String(x[r.marker])).sort((a, b) => a.localeCompare(b));
    return names.length ? seen(names.join(', '), exchange) : { skipped: `the organization lists no built-in ${r.kind}` };
  };
}

/** An update (with the instance's own fields) or a delete of a built-in instance: allowed, or the status that refused it. Inside the calibration organization, deleted at the end anyway. */
function onBuiltIn(r: Resource, action: 'update' | 'delete'): Probe {
  return async (p) => {
    const builtIn = (await firstBuiltIn(p, r)).listed[0];
    if (!builtIn) return { skipped: `the organization lists no built-in ${r.kind}` };
    const op = r.routes[0][action];
    if (!op) return { skipped: `a ${r.kind} has no ${action}` };
    const target = { kind: r.kind, id: String(builtIn.id), data: builtIn, within: p.org };
    const props = op.requestBody ? Object.keys(followRefs(p.target.spec.doc, { $ref: op.requestBody.schemaPointer }, '').node?.properties ?? {}) : [];
    const body = op.requestBody ? Object.fromEntries(props.filter((k) => builtIn[k] !== undefined && builtIn[k] !== null).map((k) => [k, builtIn[k]])) : undefined;
    const ex = await p.to(op, body ? { body } : {}, { target });
    return seen(ok(ex) ? 'allowed' : status(ex), ex);
  };
}

/** A body of `create` the run would send (its example, the run's marker in it) with the arrays a mark's path names holding `ids`. */
async function bodyWith(p: Prober, create: Operation, m: FieldMark, ids: string[]): Promise<Record<string, unknown>> {
  const plan = await p.world.plan(create.id, { within: p.org });
  const example = plan.example ?? {};
  const path = m.path.at(-1) === '*' ? m.path.slice(0, -1) : m.path;
  return setPath(example, path.map(String), ids);
}

function unknownReference(create: Operation, m: FieldMark): Probe {
  return async (p) => {
    const ex = await p.to(create, { body: await bodyWith(p, create, m, [UNKNOWN_ID]) });
    return seen(ok(ex) ? 'accepted' : status(ex), ex);
  };
}

/** A create naming, in the field the mark is on, another container than the one it acts in. */
function otherContainer(create: Operation, m: FieldMark): Probe {
  return async (p) => {
    const other = await p.world.fresh(m.resource ?? scopeOf(p).kind);
    const plan = await p.world.plan(create.id, { within: p.org });
    const field = String(m.path[0]);
    const body = { ...requiredOnly(p.target.spec.doc, create.requestBody!.schemaPointer, plan.example ?? {}, true), [field]: other.id };
    const ex = await p.to(create, { body });
    return seen(!ok(ex) ? 'rejected' : dataOf(ex)?.[field] === other.id ? 'honoured' : 'ignored', ex);
  };
}

/** What a reference becomes once the instance it names is deleted: the referring instance read again. */
function afterDelete(r: Resource, create: Operation, m: FieldMark): Probe {
  return async (p) => {
    const referred = resourceOf(p.target.spec, m.resource!);
    const named = await p.fresh(referred.kind);
    const made = await p.to(create, { body: await bodyWith(p, create, m, [named.id]) });
    if (!ok(made)) return { skipped: `a ${r.kind} naming a ${referred.kind} could not be created (${status(made)})` };
    const del = await p.to(referred.routes[0].delete, {}, { target: named });
    if (!ok(del)) return seen('refused', del);
    const after = await p.to(r.routes[0].read, {}, { target: { kind: r.kind, id: String(dataOf(made)?.id), data: {}, within: p.org } });
    const held = dataOf(after)?.[String(m.path[0])];
    return seen(Array.isArray(held) && held.includes(named.id) ? 'kept' : 'removed', after);
  };
}

/** Where a create's body assumes a constraint a question asks about: the field, the keyword and its schema. */
function assumed(spec: Spec, create: Operation, q: string): { path: string[]; keyword: string; schema: Node } | undefined {
  const walk = (node: Node, path: string[], depth: number): { path: string[]; keyword: string; schema: Node } | undefined => {
    const n = followRefs(spec.doc, node, '').node;
    if (!n || depth > 3) return undefined;
    // A length too long before one too short: an empty value may be refused for being empty.
    const keyword = ['maxLength', 'format', 'enum', 'minLength'].find((k) => n['x-assumptions']?.[k] === q);
    if (keyword && path.length) return { path, keyword, schema: n };
    if (n.items) return walk(n.items, [...path, '*'], depth + 1);
    for (const [k, v] of Object.entries<Node>(n.properties ?? {})) {
      const hit = walk(v, [...path, k], depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk({ $ref: create.requestBody!.schemaPointer }, [], 0);
}

/** A create whose assumed constraint is broken, the rest of the body valid: enforced or not. */
function violated(create: Operation, site: { path: string[]; keyword: string; schema: Node }): Probe {
  return async (p) => {
    const marker = p.sb.uniqueName('cal');
    const { schema, keyword } = site;
    const value =
      keyword === 'maxLength' ? `${marker}-${'x'.repeat(Math.max(0, schema.maxLength + 1 - marker.length - 1))}`
      : keyword === 'minLength' ? ''
      : keyword === 'format' ? `${marker}-no-at-sign`
      : keyword === 'enum' ? 'not_an_allowed_value'
      : undefined;
    if (value === undefined) return { skipped: `no value breaks ${keyword} alone` };
    const plan = await p.world.plan(create.id, { within: p.org });
    const body = requiredOnly(p.target.spec.doc, create.requestBody!.schemaPointer, plan.example ?? {}, true);
    const ex = await p.to(create, { body: setPath(body, site.path, value) });
    return seen(ok(ex) ? 'not_enforced' : 'enforced', ex);
  };
}

/** Sets one value at a path (`*` an array's one item), making objects and arrays on the way. */
function setPath(body: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!rest.length) return { ...body, [head]: value };
  if (rest[0] === '*') {
    const items = Array.isArray(body[head]) && (body[head] as unknown[]).length ? (body[head] as Record<string, unknown>[]) : [{}];
    return { ...body, [head]: rest.length === 1 ? [value] : items.map((item) => setPath(item ?? {}, rest.slice(1), value)) };
  }
  return { ...body, [head]: setPath((body[head] as Record<string, unknown>) ?? {}, rest, value) };
}

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
