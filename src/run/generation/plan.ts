import fc from 'fast-check';
import type { TargetProfile } from '../../model/contracts';
import { arbitraryFor } from '../../model/arbitraries';
import { fieldMarks, mapAt } from '../../model/spec/fields';
import { type CredentialKind, type CredentialScheme, type Operation, type Spec, schemeKinds } from '../../model/spec/load';
import { followRefs, type Node, resolvePointer } from '../../model/spec/pointer';
import { answeredResource, type Resource, resourcesOf, scopeKindOf } from '../../model/spec/resources';
import type { Credential, CredentialRef } from '../../target/credentials';
import { refForOp } from '../../target/cleanup';
import { SetupError } from '../../target/sandbox';
import type { Exchange, Intent } from '../../target/exchange';
import type { Sandbox } from '../../target/sandbox';
import { fillPath, type Target } from '../../target/target';

/** An instance of a resource (spec `x-resources`) the run works with, and the one it lives in. */
export interface Instance {
  kind: string;
  id: string;
  /** The instance as last answered. */
  data: Record<string, unknown>;
  within?: Instance;
}

/** What a plan needs of the world a test works in (see world.ts). */
export interface WorldLike {
  readonly sb: Sandbox;
  readonly target: Target;
  /** The world's own instance of a kind. */
  instance(kind: string): Promise<Instance>;
  /** A new instance of a kind, in `within` (default: the world's). */
  fresh(kind: string, opts?: { within?: Instance }): Promise<Instance>;
  /** The instances of a kind listed in `within`. */
  known(kind: string, within: Instance): Promise<Instance[]>;
  /** A credential of a kind, acting in `scope` (an organization, for scoped kinds). */
  credential(kind: CredentialKind, scope?: Instance): Promise<Credential>;
}

/**
 * How to aim a valid request at one operation: the credential, live path ids, and the body
 * fields that must hold run-specific values (the run's marker, ids of instances the caller may
 * use, the fields that repeat the instance's own). Generated bodies get `fixBody`, so generation
 * stays free while requests stay valid and cleanable.
 */
export interface Plan {
  op: Operation;
  credential: Credential;
  params: Record<string, string>;
  /** The instance the path names, if any. */
  target?: Instance;
  /** The instance (an organization) the request acts in, where its credential or path says. */
  scope?: Instance;
  /** The spec's example body, fixed: a small valid body for example-based tests. */
  readonly example: Record<string, unknown> | undefined;
  fixBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Called with the exchange each request of the plan got, or with nothing for one never sent:
   * records what a 2xx created for cleanup, and settles the markers announced for it.
   */
  settle(ex?: Exchange): Instance | undefined;
}

export interface PlanOptions {
  /** The instance a create makes its new one in (default: the world's). */
  within?: Instance;
  /** The instance the path names (default: the world's, or a fresh one where the operation spends it). */
  target?: Instance;
  /** The credential kind to send (default: the first usable of partner, organization-scoped, user key). */
  credential?: CredentialKind;
  /** The instance the path names is made anew for this request (it changes it: what it finds must not depend on requests before it). */
  freshTarget?: boolean;
}

/**
 * The kinds of credential this run can send, in the order a valid request prefers them where an
 * operation accepts several: its own key, that key scoped to an organization, a minted key (no
 * minting where none is needed).
 */
export function credentialPreference(target: Target): CredentialKind[] {
  const minted = [...schemeKinds(target.spec.doc).values()].filter((s) => s.mintedBy).map((s) => s.kind);
  return [target.own.kind, ...(target.own.scopedKind ? [target.own.scopedKind] : []), ...minted];
}

/** Every kind of credential the run can make: of its own key, of any other key it was given, and minted. */
export function sendableKinds(target: Target): CredentialKind[] {
  const others = target.keys.flatMap((k) => [k.kind, ...(k.scopedKind ? [k.scopedKind] : [])]);
  return [...new Set([...credentialPreference(target), ...others])];
}

/** The instance and its ancestors, nearest first. */
export function chainOf(i: Instance | undefined): Instance[] {
  const out: Instance[] = [];
  for (let x = i; x; x = x.within) out.push(x);
  return out;
}

export const ancestor = (i: Instance | undefined, kind: string): Instance | undefined => chainOf(i).find((x) => x.kind === kind);

/** The resource kind a scoped credential acts in (see `scopeKindOf`). */
export const scopeKind = scopeKindOf;

/** The scheme of keys the run mints for instances it makes (x-credential minted-by), where the spec has one. */
export function mintedScheme(spec: Spec): CredentialScheme | undefined {
  return [...schemeKinds(spec.doc).values()].find((s) => s.mintedBy && s.valuePointer);
}

export function schemeOf(spec: Spec, kind: CredentialKind): CredentialScheme | undefined {
  return [...schemeKinds(spec.doc).values()].find((s) => s.kind === kind);
}

/** Does the target profile say a valid request may use this kind of credential? */
export function usable(spec: Spec, profile: TargetProfile, kind: CredentialKind): boolean {
  return profile.surely(schemeOf(spec, kind)?.usableWhen);
}

/**
 * The intent of a valid request sent with a kind of credential: where the spec says that kind
 * works only under some answers (x-credential usable-when), the request is valid by that answer.
 */
export function positiveWith(spec: Spec, kind: CredentialKind): Intent {
  const question = Object.keys(schemeOf(spec, kind)?.usableWhen ?? {})[0];
  return question ? { kind: 'positive', validBy: question } : { kind: 'positive' };
}

/** The credential a valid request to `op` sends: the first usable kind it accepts, else the first it accepts. */
export function preferredCredential(target: Target, op: Operation): CredentialKind {
  const accepted = credentialPreference(target).filter((k) => op.credentials.includes(k));
  const kind = accepted.find((k) => usable(target.spec, target.contracts.profile, k)) ?? accepted[0];
  if (!kind) throw new SetupError(`${op.id} takes ${op.credentials.join(' or ')}, none of which this run can make of ${target.own.label}`);
  return kind;
}

/** Path parameters in the order the template names them (the last names the instance itself). */
export function pathParams(op: Pick<Operation, 'path' | 'params'>): Operation['params'] {
  let out = pathParamsOf.get(op);
  if (!out) {
    const order = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    out = op.params.filter((p) => p.in === 'path').sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    pathParamsOf.set(op, out);
  }
  return out;
}
// Asked for every request a plan makes: an operation's path parameters are read once.
const pathParamsOf = new WeakMap<object, Operation['params']>();

/** Values for an operation's path parameters, each from the instance of its kind in `chain`. */
export function paramsFor(op: Operation, chain: Instance[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pathParams(op)) {
    const i = chain.find((x) => x.kind === p.resource);
    if (!i) throw new Error(`no ${p.resource ?? '(unmarked)'} instance for path parameter ${p.name} of ${op.id}`);
    out[p.name] = i.id;
  }
  return out;
}

/** The credential an operation on instances in `chain` is sent with, for a ledger (the run's own key, or it scoped to an organization). */
function ledgerCredential(world: WorldLike, op: Operation, chain: Instance[]): CredentialRef {
  const spec = world.target.spec;
  // Cleanup rebuilds credentials from the run's own key alone: never a minted user key.
  const scope = ancestor(chain[0], scopeKind(spec) ?? '');
  const ref = refForOp(world.target.own, op, scope?.id);
  if (!ref) throw new SetupError(`${op.id} takes no credential made of ${world.target.own.label}${scope ? '' : ` (nor is there a ${scopeKind(spec)} to scope one to)`}: what it makes could not be cleaned up`);
  return ref;
}

/** The DELETE path and credential of an instance of `resource` with id `id` in `within`, and the GET path that proves it gone. */
export function deletion(world: WorldLike, resource: Resource, id: string, within: Instance | undefined) {
  const { delete: del, read, list } = resource.routes[0];
  const self: Instance = { kind: resource.kind, id, data: {}, within };
  const chain = chainOf(self);
  return { path: fillPath(del.path, paramsFor(del, chain)), readPath: fillPath(read.path, paramsFor(read, chain)), listPath: fillPath(list.path, paramsFor(list, chainOf(within))), credential: ledgerCredential(world, del, chain) };
}

const URI_FORMATS = new Set(['uri', 'url', 'iri', 'uri-reference', 'iri-reference']);

/**
 * A marker combined with a generated value, so the server still sees what was generated (long,
 * non-ASCII, boundary), placed by the field's format: in an email, before the local part; in a
 * URL, first in the path of an http(s) URL (a server that wants one gets one); elsewhere, before
 * the value; cut to the field's maximum length, never cutting the marker.
 */
export function withMarker(marker: string, generated: unknown, schema: Node): string {
  const max: number = typeof schema?.maxLength === 'number' ? schema.maxLength : Infinity;
  const g = typeof generated === 'string' ? generated : '';
  if (URI_FORMATS.has(schema?.format)) {
    const url = /^https?:\/\/[a-z0-9.-]+(:\d+)?/i.exec(g)?.[0] ?? 'https://example.com';
    return `${url}/${marker}`.slice(0, Math.max(url.length + 1 + marker.length, max));
  }
  if (schema?.format === 'email') {
    const at = g.lastIndexOf('@');
    const [local, domain] = at > 0 ? [g.slice(0, at), g.slice(at + 1)] : ['user', 'example.com'];
    const room = Math.max(0, max - marker.length - domain.length - 2);
    return `${marker}${room && local ? `.${[...local].slice(0, room).join('')}` : ''}@${domain}`;
  }
  return [...(g ? `${marker}-${g}` : marker)].slice(0, Math.max(marker.length, max)).join('');
}

/** A deterministic pick among known instances for a generated value (shrinking and replay keep it). */
function pick(known: Instance[], seed: unknown): string {
  const h = [...String(seed)].reduce((acc, c) => (acc * 31 + c.charCodeAt(0)) >>> 0, 7);
  return known[h % known.length].id;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export async function planFor(op: Operation, world: WorldLike, opts: PlanOptions = {}): Promise<Plan> {
  const { spec, validators } = world.target;
  const fits = (schema: Node, value: unknown) => validators.checkSchema(schema, value).length === 0;
  const route = resourcesOf(spec).routeOf.get(op.id);
  const scopeK = scopeKind(spec);

  // The instance the path names: a create's or a list's names the instance they work in.
  const params = pathParams(op);
  for (const p of params) if (!p.resource) throw new Error(`spec: path parameter ${p.name} of ${op.id} has no x-resource`);
  const deepest = params.at(-1)?.resource;
  let target = opts.target;
  if (!target && deepest) {
    const container = route?.role === 'create' || route?.role === 'list';
    // A create of a resource a container holds only so many of makes its instance in a container of its own.
    const limited = route?.role === 'create' && route.resource.perContainer;
    target = container && opts.within ? opts.within : ((op.freshInstance || opts.freshTarget) && !container) || limited ? await world.fresh(deepest, { within: limited ? undefined : opts.within }) : await world.instance(deepest);
  }
  const chain = chainOf(target);

  const kind = opts.credential ?? preferredCredential(world.target, op);
  let scope = scopeK ? ancestor(target, scopeK) : undefined;
  if (!scope && kind !== world.target.own.kind && scopeK) scope = opts.within ? ancestor(opts.within, scopeK) : await world.instance(scopeK);
  const credential = await world.credential(kind, scope);

  // Where a create's new instance lives: the instance its path names, else the one its credential
  // acts in, else (a key acting in none) the one its body names in the field the resource says.
  const resource = route?.resource;
  let within = resource?.within ? (ancestor(target, resource.within.kind) ?? ancestor(scope, resource.within.kind)) : undefined;
  const bodyChooses = route?.role === 'create' && resource?.within && !within;
  if (bodyChooses) within = opts.within ?? (resource!.perContainer ? await world.fresh(resource!.within!.kind) : await world.instance(resource!.within!.kind));

  const issued: string[] = [];
  let fixBody: Plan['fixBody'];
  if (op.requestBody) {
    const marks = fieldMarks(spec.doc, op.requestBody.schemaPointer);
    const known = new Map<string, Instance[]>();
    for (const m of marks) {
      if (!m.resource || known.has(m.resource)) continue;
      // A reference to the instance the request acts in is that instance; others, what it lists.
      known.set(m.resource, m.resource === scopeK ? (scope ? [scope] : []) : await world.known(m.resource, scope ?? within ?? (await world.instance(scopeK ?? m.resource))));
    }
    const markerSchema = resource ? followRefs(spec.doc, resolvePointer(spec.doc, op.requestBody.schemaPointer), '').node?.properties?.[resource.marker] : undefined;
    const markerSchemaNode = markerSchema ? followRefs(spec.doc, markerSchema, '').node : undefined;
    fixBody = (body) => {
      let out: Record<string, unknown> = { ...body };
      if (resource && (route.role === 'create' || route.role === 'update') && resource.marker in out) {
        const marker = world.sb.uniqueName(resource.kind.slice(0, 3));
        out[resource.marker] = withMarker(marker, out[resource.marker], markerSchemaNode);
        if (route.role === 'create') {
          announce(world, resource, marker, within);
          issued.push(marker);
        }
      }
      if (bodyChooses && within) out[resource!.within!.field] = within.id;
      for (const m of marks) {
        if (bodyChooses && m.path.length === 1 && m.path[0] === resource!.within!.field) continue;
        const from = m.fromResource && target?.data[m.fromResource];
        // A value the server answered broken (a number for an email) is its defect, reported where it
        // showed; repeating it would make this request invalid and report the defect again.
        if (from !== undefined && from !== '' && fits(m.schema, from)) out = mapAt(out, m.path, () => from) as Record<string, unknown>;
        const choices = m.resource ? known.get(m.resource) : undefined;
        if (choices?.length) out = mapAt(out, m.path, (v) => (typeof v === 'string' ? pick(choices, v) : v)) as Record<string, unknown>;
      }
      return out;
    };
  }

  let example: Record<string, unknown> | undefined;
  let exampleMade = false;
  return {
    op,
    credential,
    params: paramsFor(op, chain),
    target,
    scope,
    get example() {
      if (!exampleMade && op.requestBody) {
        // The spec's example; without one, a valid body the schema itself gives (the same each time).
        const raw = (clone(op.requestBody.example) ?? fc.sample(arbitraryFor(spec.doc, op.requestBody.schemaPointer), { seed: 1, numRuns: 1 })[0]) as Record<string, unknown> | undefined;
        example = raw && typeof raw === 'object' && fixBody ? fixBody(raw) : raw;
        exampleMade = true;
      }
      return example;
    },
    fixBody,
    settle(ex) {
      const made = ex ? adoptAnswer(world, op, ex, within) : undefined;
      for (const m of issued.splice(0)) world.sb.settle(m);
      return made;
    },
  };
}

/** Announces in the ledger a create about to carry `marker`, with where to find it should its answer be lost. */
export function announce(world: WorldLike, resource: Resource, marker: string, within: Instance | undefined): void {
  const list = resource.routes[0].list;
  const { path, credential } = deletion(world, resource, '{id}', within);
  world.sb.intend({
    kind: resource.kind,
    marker,
    markerField: resource.marker,
    listPath: fillPath(list.path, paramsFor(list, chainOf(within))),
    credential,
    deleteTemplate: path.replace(encodeURIComponent('{id}'), '{id}'),
  });
}

/** Records for cleanup the instance a 2xx answer to a POST made (where the answer is a resource's instance). */
export function adoptAnswer(world: WorldLike, op: Operation, ex: Exchange, within: Instance | undefined): Instance | undefined {
  const { status } = ex.response;
  if (op.method !== 'post' || status < 200 || status >= 300) return undefined;
  const answered = answeredResource(world.target.spec, op);
  const data = (ex.response.json as { data?: Record<string, unknown> } | undefined)?.data;
  if (!answered || answered.list || typeof data?.id !== 'string') return undefined;
  const { resource } = answered;
  // Where it landed, as far as the answer says (a server may put it elsewhere: clean up there).
  const parentKind = resource.within;
  const elsewhere = parentKind && typeof data[parentKind.field] === 'string' && data[parentKind.field] !== within?.id;
  const home = !parentKind ? undefined : elsewhere ? { kind: parentKind.kind, id: data[parentKind.field] as string, data: {} } : within;
  const { path, readPath, listPath, credential } = deletion(world, resource, data.id, home);
  world.sb.adopt({ kind: resource.kind, id: data.id, deletePath: path, readPath, listPath, credential, ...(home ? { within: home.id } : {}) });
  return { kind: resource.kind, id: data.id, data, within: home };
}
