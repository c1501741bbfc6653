import fc from 'fast-check';
import { expectRule } from '../../checks/gate';
import type { Finding, Recorded } from '../../checks/types';
import { fieldMarks, requiredOnly } from '../../model/spec/fields';
import type { Operation, Spec } from '../../model/spec/load';
import { followRefs } from '../../model/spec/pointer';
import { type Resource, resourcesOf } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { contains } from '../../checks/compare';
import { data, ids, ok, status, step } from './steps';

/**
 * What the model run is about, read from the spec: a member resource (users) whose create and
 * update bodies hold an array of references (`x-resource`) to a referred resource (roles) living
 * in the same container (an organization). The first such pair in `x-resources` order.
 */
export interface Membership {
  container: string;
  member: Resource;
  referred: Resource;
  /** The body and entity field holding the references (`role_ids`). */
  field: string;
  /** An update of the member that carries the field: one needing no other field first. */
  update: Operation;
}

/** The array field of `op`'s body whose items name instances of `kind`. */
function referenceField(spec: Spec, op: Operation | undefined, kind: string): string | undefined {
  if (!op?.requestBody) return undefined;
  return fieldMarks(spec.doc, op.requestBody.schemaPointer).find((m) => m.resource === kind && m.path.length === 2 && m.path[1] === '*')?.path[0] as string | undefined;
}

const requiredOf = (spec: Spec, op: Operation): string[] => followRefs(spec.doc, { $ref: op.requestBody!.schemaPointer }, '').node?.required ?? [];

export function membershipOf(spec: Spec): Membership | undefined {
  const all = [...resourcesOf(spec).byKind.values()];
  for (const member of all) {
    for (const referred of all) {
      if (referred === member || !member.within || member.within.kind !== referred.within?.kind || !referred.routes[0].delete) continue;
      const field = referenceField(spec, member.routes[0].create, referred.kind);
      const entity = spec.doc.components?.schemas?.[member.entity]?.properties ?? {};
      if (!field || !(field in entity)) continue;
      const updates = member.routes.map((set) => set.update).filter((u): u is Operation => referenceField(spec, u, referred.kind) === field);
      const update = updates.find((u) => requiredOf(spec, u).every((f) => f === field)) ?? updates[0];
      if (update) return { container: member.within.kind, member, referred, field, update };
    }
  }
  return undefined;
}

/** Why there is no model run: said in the report where the spec gives nothing to model. */
export const NO_MEMBERSHIP = 'the spec has no resource whose create and update bodies hold references (x-resource on array items) to another resource of the same container: nothing to model';

/**
 * What the model believes the organization holds: user id -> its role ids (null = none set), the
 * custom roles it made, and what it deleted.
 */
interface Model {
  users: Map<string, string[] | null>;
  roles: string[];
  gone: string[];
  goneRoles: string[];
}

interface Real {
  env: SuiteEnv;
  m: Membership;
  org: Instance;
  /** The roles the organization held before the run (its built-in ones). */
  existing: string[];
}

class ModelMismatch extends Error {}

/** Records the mismatch on the exchange and stops the sequence, so fast-check shrinks it. */
function agree(r: Real, rec: Recorded, holds: boolean, message: string, cite?: Pick<Finding, 'rule' | 'basis' | 'note'>): void {
  if (!expectRule(r.env.target.ctx, rec, 'model_conformance', holds, message, cite)) throw new ModelMismatch(message);
}

const pick = <T>(items: T[], i: number): T | undefined => (items.length ? items[i % items.length] : undefined);
const liveRoles = (m: Readonly<Model>, r: Real) => [...r.existing, ...m.roles];
const user = (r: Real, id: string): Instance => ({ kind: r.m.member.kind, id, data: {}, within: r.org });
const role = (r: Real, id: string): Instance => ({ kind: r.m.referred.kind, id, data: {}, within: r.org });
const refs = (r: Real, rec: Recorded) => data(rec)?.[r.m.field];
const sameRoles = (a: unknown, b: unknown) => contains(a ?? null, b ?? null) && contains(b ?? null, a ?? null);

class CreateUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly role: number | undefined) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const plan = await r.env.world.plan(r.m.member.routes[0].create.id, { within: r.org });
    const roleId = this.role === undefined ? undefined : pick(liveRoles(m, r), this.role);
    const { [r.m.field]: _roles, ...rest } = plan.example ?? {};
    const body = { ...rest, ...(roleId ? { [r.m.field]: [roleId] } : {}) };
    const rec = await step(r.env, plan, { body });
    agree(r, rec, ok(rec) && typeof data(rec)?.id === 'string', `create answered ${status(rec)}`);
    m.users.set(data(rec).id, roleId ? [roleId] : null);
  }
  toString = () => `createUser(${this.role ?? 'no role'})`;
}

class GetUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.users.keys()], this.index)!;
    const rec = await step(r.env, await r.env.world.plan(r.m.member.routes[0].read.id, { target: user(r, id) }));
    agree(r, rec, ok(rec) && sameRoles(refs(r, rec), m.users.get(id)), `get ${id}: ${status(rec)} ${r.m.field} ${JSON.stringify(refs(r, rec))}, model says ${JSON.stringify(m.users.get(id))}`);
  }
  toString = () => `getUser(${this.index})`;
}

class UpdateRoles implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly role: number,
  ) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.users.keys()], this.index)!;
    const roleIds = [pick(liveRoles(m, r), this.role)!];
    const plan = await r.env.world.plan(r.m.update.id, { target: user(r, id) });
    const body = { ...requiredOnly(r.env.target.spec.doc, r.m.update.requestBody!.schemaPointer, plan.example ?? {}), [r.m.field]: roleIds };
    const rec = await step(r.env, plan, { body });
    agree(r, rec, ok(rec), `update ${id} answered ${status(rec)}`);
    m.users.set(id, roleIds);
  }
  toString = () => `updateRoles(${this.index}, ${this.role})`;
}

class DeleteUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.users.keys()], this.index)!;
    const rec = await step(r.env, await r.env.world.plan(r.m.member.routes[0].delete.id, { target: user(r, id) }));
    agree(r, rec, ok(rec) && data(rec)?.id === id, `delete ${id} answered ${status(rec)}`);
    m.users.delete(id);
    m.gone.push(id);
  }
  toString = () => `deleteUser(${this.index})`;
}

class GetDeleted implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.gone.length > 0;
  async run(m: Model, r: Real) {
    const id = pick(m.gone, this.index)!;
    const rec = await step(r.env, await r.env.world.plan(r.m.member.routes[0].read.id, { target: user(r, id) }));
    const { profile } = r.env.target.contracts;
    agree(r, rec, profile.accepts('not_found_status', status(rec)), `deleted user ${id} answered ${status(rec)}, not the not-found answer (${profile.accepted('not_found_status').join(' or ')})`, profile.cite('not_found_status'));
  }
  toString = () => `getDeleted(${this.index})`;
}

class ListUsers implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const rec = await step(r.env, await r.env.world.plan(r.m.member.routes[0].list.id, { target: r.org, within: r.org }));
    // The organization may hold users the model did not make; the model's own must all be there
    // with the roles it believes they have, its deleted ones gone.
    const listed = new Map<string, unknown>((Array.isArray(data(rec)) ? data(rec) : []).map((u: Record<string, unknown>) => [u?.id, u?.[r.m.field] ?? null]));
    const missing = [...m.users.keys()].filter((id) => !listed.has(id));
    const wrongRoles = [...m.users].filter(([id, roles]) => listed.has(id) && !sameRoles(listed.get(id), roles)).map(([id]) => id);
    const resurrected = m.gone.filter((id) => listed.has(id));
    agree(r, rec, ok(rec) && !missing.length && !wrongRoles.length && !resurrected.length, `list misses ${missing.length} ${r.m.member.kind}s the model holds, shows ${wrongRoles.length} with other ${r.m.field} than the model's, and ${resurrected.length} it deleted`);
  }
  toString = () => 'listUsers';
}

class CreateRole implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.roles.length < 4;
  async run(m: Model, r: Real) {
    const plan = await r.env.world.plan(r.m.referred.routes[0].create.id, { within: r.org });
    const rec = await step(r.env, plan, { body: plan.example });
    agree(r, rec, ok(rec) && typeof data(rec)?.id === 'string', `${r.m.referred.kind} create answered ${status(rec)}`);
    m.roles.push(data(rec).id);
  }
  toString = () => 'createRole';
}

/** Deletes a custom role no user of the model holds (what deleting a held one does is the profile's, and workflows' to check). */
class DeleteRole implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.roles.some((id) => ![...m.users.values()].some((held) => held?.includes(id)));
  async run(m: Model, r: Real) {
    const free = m.roles.filter((id) => ![...m.users.values()].some((held) => held?.includes(id)));
    const id = pick(free, this.index)!;
    const rec = await step(r.env, await r.env.world.plan(r.m.referred.routes[0].delete.id, { target: role(r, id) }));
    agree(r, rec, ok(rec), `${r.m.referred.kind} delete ${id} answered ${status(rec)}`);
    m.roles = m.roles.filter((x) => x !== id);
    m.goneRoles.push(id);
  }
  toString = () => `deleteRole(${this.index})`;
}

class ListRoles implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const rec = await step(r.env, await r.env.world.plan(r.m.referred.routes[0].list.id, { within: r.org }));
    const listed = ids(rec);
    const missing = liveRoles(m, r).filter((id) => !listed.includes(id));
    const resurrected = m.goneRoles.filter((id) => listed.includes(id));
    agree(r, rec, ok(rec) && !missing.length && !resurrected.length, `${r.m.referred.kind} list misses ${missing.length} the model holds and shows ${resurrected.length} it deleted`);
  }
  toString = () => 'listRoles';
}

/** Command sequences of at most `maxCommands`; `replayPath` (printed with a failure) replays a shrunk one exactly. */
export const modelCommands = (maxCommands: number, replayPath?: string) =>
  fc.commands(
    [
      fc.option(fc.nat(5), { nil: undefined }).map((i) => new CreateUser(i)),
      fc.nat(9).map((i) => new GetUser(i)),
      fc.tuple(fc.nat(9), fc.nat(5)).map(([i, j]) => new UpdateRoles(i, j)),
      fc.nat(9).map((i) => new DeleteUser(i)),
      fc.nat(9).map((i) => new GetDeleted(i)),
      fc.constant(new ListUsers()),
      fc.constant(new CreateRole()),
      fc.nat(3).map((i) => new DeleteRole(i)),
      fc.constant(new ListRoles()),
    ],
    { maxCommands, ...(replayPath ? { replayPath } : {}) },
  );

/** What each run starts with: a custom role, and two users (one holding it), so commands on existing state act from the first step. */
const START = [new CreateRole(), new CreateUser(undefined), new CreateUser(2)];

/**
 * Runs one command sequence in an organization of its own (so what it finds depends on it alone,
 * and a shrunk sequence replays alone as it failed) against a model that starts with a custom
 * role and two users. Mismatches are recorded as `model_conformance`; the organization goes with
 * the test's other instances.
 */
export async function runModel(env: SuiteEnv, m: Membership, cmds: Iterable<fc.AsyncCommand<Model, Real>>): Promise<void> {
  const org = await env.world.fresh(m.container);
  const existing = (await env.world.known(m.referred.kind, org)).map((x) => x.id);
  const model: Model = { users: new Map(), roles: [], gone: [], goneRoles: [] };
  const real: Real = { env, m, org, existing };
  for (const start of START) await start.run(model, real);
  await fc.asyncModelRun(() => ({ model, real }), cmds);
}

export { ModelMismatch };
