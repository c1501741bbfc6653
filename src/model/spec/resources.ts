import { UserError } from '../errors';
import { type Operation, type Spec, schemeKinds } from './load';
import { followRefs, type Node } from './pointer';

/** The operations that create, read, list, update and delete a resource's instances one way. */
export interface RouteSet {
  create: Operation;
  read: Operation;
  list: Operation;
  update?: Operation;
  delete: Operation;
}

export type RouteRole = keyof RouteSet;

/** Instances no one may update or delete (built-in ones), and the questions answering what trying gets. */
export interface Readonly {
  when: Record<string, unknown>;
  updateRejectedAs: string;
  deleteRejectedAs: string;
  /** The question whose answer lists their names. */
  namesAnsweredBy?: string;
}

/**
 * A resource the API lets a run create (spec `x-resources`). Everything the engine knows about
 * organizations, users, roles and policies comes from here: a new resource is a spec edit, not code.
 */
export interface Resource {
  kind: string;
  /** The schema of one instance in a response (`User`). */
  entity: string;
  /** The body field a create (and an update) carries the run's marker in. */
  marker: string;
  /** The resource an instance lives in, and the entity field naming it. */
  within?: { kind: string; field: string };
  /** The question whose answer is what creating a second instance with the same marker gets. */
  duplicateAnsweredBy?: string;
  /** The question whose answer is what an update giving an instance another's marker gets. */
  renameAnsweredBy?: string;
  /** The invariant saying an update replaces an instance whole (what it leaves out is cleared). */
  updateReplacesWhole?: string;
  readonly?: Readonly;
  /** How many instances one container may hold, and the question whose answer is what a create beyond that gets. */
  perContainer?: { most: number; beyond?: string };
  /** The first set is the canonical one (cleanup deletes through it). */
  routes: RouteSet[];
}

export interface Resources {
  byKind: ReadonlyMap<string, Resource>;
  /** The resource whose instances a schema describes (`User` -> user). */
  byEntity: ReadonlyMap<string, Resource>;
  /** The resource and role of every operation that is one of a route set. */
  routeOf: ReadonlyMap<string, { resource: Resource; role: RouteRole; set: number }>;
}

const ROLES: readonly RouteRole[] = ['create', 'read', 'list', 'update', 'delete'];
const cache = new WeakMap<Spec, Resources>();

/** The spec's resources, checked: every operation named exists, every `within` is a resource. */
export function resourcesOf(spec: Spec): Resources {
  const hit = cache.get(spec);
  if (hit) return hit;
  const fail = (what: string) => {
    throw new UserError(`spec ${spec.file}: x-resources.${what}`);
  };
  const byKind = new Map<string, Resource>();
  const routeOf = new Map<string, { resource: Resource; role: RouteRole; set: number }>();
  const raw: Record<string, Node> = spec.doc['x-resources'] ?? {};
  for (const [kind, r] of Object.entries(raw)) {
    if (typeof r?.entity !== 'string' || !spec.doc.components?.schemas?.[r.entity]) fail(`${kind}.entity ${JSON.stringify(r?.entity)} is no schema`);
    if (typeof r.marker !== 'string') fail(`${kind}.marker is missing: the body field that carries the run's name`);
    if (!Array.isArray(r.routes) || !r.routes.length) fail(`${kind}.routes is missing: a list of {create, read, list, update, delete}`);
    const routes = (r.routes as Node[]).map((set, i) => {
      const out: Partial<RouteSet> = {};
      for (const role of ROLES) {
        if (set[role] === undefined && role === 'update') continue;
        const op = typeof set[role] === 'string' ? spec.byId.get(set[role]) : undefined;
        if (!op) fail(`${kind}.routes[${i}].${role} names ${JSON.stringify(set[role])}, which is no operation of the spec`);
        out[role] = op;
      }
      return out as RouteSet;
    });
    const ro = r.readonly;
    const resource: Resource = {
      kind,
      entity: r.entity,
      marker: r.marker,
      within: r.within ? { kind: r.within.kind, field: r.within.field } : undefined,
      duplicateAnsweredBy: r['duplicate-answered-by'],
      renameAnsweredBy: r['rename-answered-by'],
      updateReplacesWhole: r['update-replaces-whole'],
      perContainer: r['per-container'] ? { most: r['per-container'].most, beyond: r['per-container'].beyond } : undefined,
      readonly: ro ? { when: ro.when ?? {}, updateRejectedAs: ro['update-rejected-as'], deleteRejectedAs: ro['delete-rejected-as'], namesAnsweredBy: ro['names-answered-by'] } : undefined,
      routes,
    };
    byKind.set(kind, resource);
    routes.forEach((set, i) => {
      for (const role of ROLES) if (set[role]) routeOf.set(set[role].id, { resource, role, set: i });
    });
  }
  for (const r of byKind.values()) {
    if (r.within && (!byKind.has(r.within.kind) || typeof r.within.field !== 'string')) fail(`${r.kind}.within needs {kind: <a resource>, field: <the entity field naming it>}`);
    const pc = r.perContainer;
    if (pc && (!r.within || !Number.isInteger(pc.most) || pc.most < 1)) fail(`${r.kind}.per-container needs a within and {most: <a whole number, 1 or more>, beyond: <the question answering what a create beyond it gets>}`);
  }
  const resources = { byKind, byEntity: new Map([...byKind.values()].map((r) => [r.entity, r])), routeOf };
  cache.set(spec, resources);
  return resources;
}

/** The resource a kind names; a spec that names an unknown one is broken. */
export function resourceOf(spec: Spec, kind: string): Resource {
  const r = resourcesOf(spec).byKind.get(kind);
  if (!r) throw new UserError(`spec ${spec.file}: ${JSON.stringify(kind)} is not a resource of x-resources`);
  return r;
}

/** The resource an instance's `data` is an instance of (`data` of the success answer being a resource's entity), if any. */
export function answeredResource(spec: Spec, op: Operation): { resource: Resource; list: boolean } | undefined {
  // Asked of every answer: read once per operation.
  if (!answeredOf.has(op)) answeredOf.set(op, readAnswered(spec, op));
  return answeredOf.get(op);
}
const answeredOf = new WeakMap<Operation, { resource: Resource; list: boolean } | undefined>();

function readAnswered(spec: Spec, op: Operation): { resource: Resource; list: boolean } | undefined {
  const ok = [...op.responses.values()].find((r) => r.status.startsWith('2') && r.schemaPointer);
  if (!ok?.schemaPointer) return undefined;
  const body = followRefs(spec.doc, { $ref: ok.schemaPointer }, ok.schemaPointer).node;
  const data = body?.properties?.data;
  const list = data?.items !== undefined;
  const ref: unknown = list ? data.items.$ref : data?.$ref;
  const name = typeof ref === 'string' ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
  const resource = name ? resourcesOf(spec).byEntity.get(name) : undefined;
  return resource ? { resource, list } : undefined;
}

/** Does an instance match a readonly `when` (every listed field has the listed value)? */
export function isReadonly(resource: Resource, data: unknown): boolean {
  const when = resource.readonly?.when;
  if (!when || !data || typeof data !== 'object') return false;
  return Object.entries(when).every(([k, v]) => (data as Record<string, unknown>)[k] === v);
}

/**
 * The resource kind an organization-scoped credential acts in: the user name of the Basic scheme
 * (`x-credential.username`), which is also the kind tenants are.
 */
export function scopeKindOf(spec: Spec): string | undefined {
  return [...schemeKinds(spec.doc).values()].find((s) => s.username && s.username !== 'key')?.username;
}
