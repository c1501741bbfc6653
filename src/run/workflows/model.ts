import fc from 'fast-check';
import { expectRule } from '../../checks/gate';
import type { Finding, Recorded } from '../../checks/types';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { contains } from '../../checks/compare';
import { data, ids, ok, status, step } from './steps';

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
const user = (r: Real, id: string): Instance => ({ kind: 'user', id, data: {}, within: r.org });
const role = (r: Real, id: string): Instance => ({ kind: 'role', id, data: {}, within: r.org });
const sameRoles = (a: unknown, b: unknown) => contains(a ?? null, b ?? null) && contains(b ?? null, a ?? null);

class CreateUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly role: number | undefined) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const plan = await r.env.world.plan('users_create', { within: r.org });
    const roleId = this.role === undefined ? undefined : pick(liveRoles(m, r), this.role);
    const { role_ids: _roles, ...rest } = plan.example ?? {};
    const body = { ...rest, ...(roleId ? { role_ids: [roleId] } : {}) };
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
    const rec = await step(r.env, await r.env.world.plan('users_get', { target: user(r, id) }));
    agree(r, rec, ok(rec) && sameRoles(data(rec)?.role_ids, m.users.get(id)), `get ${id}: ${status(rec)} role_ids ${JSON.stringify(data(rec)?.role_ids)}, model says ${JSON.stringify(m.users.get(id))}`);
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
    const rec = await step(r.env, await r.env.world.plan('users_updateCurrentOrgUser', { target: user(r, id) }), { body: { role_ids: roleIds } });
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
    const rec = await step(r.env, await r.env.world.plan('users_delete', { target: user(r, id) }));
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
    const rec = await step(r.env, await r.env.world.plan('users_get', { target: user(r, id) }));
    const { profile } = r.env.target.contracts;
    agree(r, rec, profile.accepts('not_found_status', status(rec)), `deleted user ${id} answered ${status(rec)}, not the not-found answer (${profile.accepted('not_found_status').join(' or ')})`, profile.cite('not_found_status'));
  }
  toString = () => `getDeleted(${this.index})`;
}

class ListUsers implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const rec = await step(r.env, await r.env.world.plan('users_list', { target: r.org, within: r.org }));
    // The organization may hold users the model did not make; the model's own must all be there
    // with the roles it believes they have, its deleted ones gone.
    const listed = new Map<string, unknown>((Array.isArray(data(rec)) ? data(rec) : []).map((u: { id?: string; role_ids?: unknown }) => [u?.id, u?.role_ids ?? null]));
    const missing = [...m.users.keys()].filter((id) => !listed.has(id));
    const wrongRoles = [...m.users].filter(([id, roles]) => listed.has(id) && !sameRoles(listed.get(id), roles)).map(([id]) => id);
    const resurrected = m.gone.filter((id) => listed.has(id));
    agree(r, rec, ok(rec) && !missing.length && !wrongRoles.length && !resurrected.length, `list misses ${missing.length} users the model holds, shows ${wrongRoles.length} with other roles than the model's, and ${resurrected.length} it deleted`);
  }
  toString = () => 'listUsers';
}

class CreateRole implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.roles.length < 4;
  async run(m: Model, r: Real) {
    const plan = await r.env.world.plan('roles_create', { within: r.org });
    const rec = await step(r.env, plan, { body: plan.example });
    agree(r, rec, ok(rec) && typeof data(rec)?.id === 'string', `role create answered ${status(rec)}`);
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
    const rec = await step(r.env, await r.env.world.plan('roles_delete', { target: role(r, id) }));
    agree(r, rec, ok(rec), `role delete ${id} answered ${status(rec)}`);
    m.roles = m.roles.filter((x) => x !== id);
    m.goneRoles.push(id);
  }
  toString = () => `deleteRole(${this.index})`;
}

class ListRoles implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const rec = await step(r.env, await r.env.world.plan('roles_list', { within: r.org }));
    const listed = ids(rec);
    const missing = liveRoles(m, r).filter((id) => !listed.includes(id));
    const resurrected = m.goneRoles.filter((id) => listed.includes(id));
    agree(r, rec, ok(rec) && !missing.length && !resurrected.length, `role list misses ${missing.length} roles the model holds and shows ${resurrected.length} it deleted`);
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
export async function runModel(env: SuiteEnv, cmds: Iterable<fc.AsyncCommand<Model, Real>>): Promise<void> {
  const org = await env.world.fresh('organization');
  const existing = (await env.world.known('role', org)).map((x) => x.id);
  const model: Model = { users: new Map(), roles: [], gone: [], goneRoles: [] };
  const real: Real = { env, org, existing };
  for (const start of START) await start.run(model, real);
  await fc.asyncModelRun(() => ({ model, real }), cmds);
}

export { ModelMismatch };
