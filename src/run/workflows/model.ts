import fc from 'fast-check';
import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import type { OrgRef } from '../../target/sandbox';
import type { Finding, Recorded } from '../../checks/types';
import { adoptCreatedUser, call, data, ok, status } from './steps';

/** What the model believes the organization holds: user id -> its role ids (null = none set). */
interface Model {
  users: Map<string, string[] | null>;
  gone: string[];
}

interface Real {
  env: SuiteEnv;
  org: OrgRef;
  roles: string[];
}

class ModelMismatch extends Error {}

/** Records the mismatch on the exchange and stops the sequence, so fast-check shrinks it. */
function agree(rec: Recorded, holds: boolean, message: string, cite?: Pick<Finding, 'rule' | 'basis' | 'note'>): void {
  if (!expectRule(rec, 'model_conformance', holds, message, cite)) throw new ModelMismatch(message);
}

const pick = <T>(items: T[], i: number): T | undefined => (items.length ? items[i % items.length] : undefined);

class CreateUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly withRole: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const body = { email: r.env.sb.uniqueEmail('m'), ...(this.withRole && r.roles.length ? { role_ids: [r.roles[0]] } : {}) };
    const rec = await call(r.env, 'users_create', { credential: r.env.target.partner, params: { org_id: r.org.id }, body });
    agree(rec, ok(rec), `create answered ${status(rec)}`);
    const u = data(rec);
    adoptCreatedUser(r.env, r.org.id, rec);
    m.users.set(u.id, body.role_ids ?? null);
  }
  toString = () => `create(${this.withRole ? 'role' : 'no role'})`;
}

class GetUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.users.keys()], this.index)!;
    const rec = await call(r.env, 'users_get', { credential: r.env.target.partner, params: { org_id: r.org.id, id } });
    agree(rec, ok(rec) && JSON.stringify(data(rec)?.role_ids ?? null) === JSON.stringify(m.users.get(id)), `get ${id}: ${status(rec)} role_ids ${JSON.stringify(data(rec)?.role_ids)}, model says ${JSON.stringify(m.users.get(id))}`);
  }
  toString = () => `get(${this.index})`;
}

class UpdateRoles implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly role: number) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    if (!r.roles.length) return;
    const id = pick([...m.users.keys()], this.index)!;
    const roleIds = [pick(r.roles, this.role)!];
    const rec = await call(r.env, 'users_updateCurrentOrgUser', { credential: r.env.world.userKey, params: { id }, body: { role_ids: roleIds } });
    agree(rec, ok(rec), `update ${id} answered ${status(rec)}`);
    m.users.set(id, roleIds);
  }
  toString = () => `updateRoles(${this.index}, ${this.role})`;
}

class DeleteUser implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.users.size > 0;
  async run(m: Model, r: Real) {
    const id = pick([...m.users.keys()], this.index)!;
    const rec = await call(r.env, 'users_delete', { credential: r.env.target.partner, params: { org_id: r.org.id, id } });
    agree(rec, ok(rec) && data(rec)?.id === id, `delete ${id} answered ${status(rec)}`);
    m.users.delete(id);
    m.gone.push(id);
  }
  toString = () => `delete(${this.index})`;
}

class GetDeleted implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.gone.length > 0;
  async run(m: Model, r: Real) {
    const id = pick(m.gone, this.index)!;
    const rec = await call(r.env, 'users_get', { credential: r.env.target.partner, params: { org_id: r.org.id, id } });
    const { profile } = r.env.target.contracts;
    agree(rec, profile.accepts('not_found_status', status(rec)), `deleted user ${id} answered ${status(rec)}, not the not-found answer (${profile.accepted('not_found_status').join(' or ')})`, profile.cite('not_found_status'));
  }
  toString = () => `getDeleted(${this.index})`;
}

class ListUsers implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const rec = await call(r.env, 'users_list', { credential: r.env.target.partner, params: { org_id: r.org.id } });
    // The organization may hold users the model did not make; the model's own must all be there
    // with the roles it believes they have, its deleted ones gone.
    const listed = new Map<string, unknown>((Array.isArray(data(rec)) ? data(rec) : []).map((u: any) => [u?.id, u?.role_ids ?? null]));
    const missing = [...m.users.keys()].filter((id) => !listed.has(id));
    const wrongRoles = [...m.users].filter(([id, roles]) => listed.has(id) && JSON.stringify(listed.get(id)) !== JSON.stringify(roles)).map(([id]) => id);
    const resurrected = m.gone.filter((id) => listed.has(id));
    agree(rec, ok(rec) && !missing.length && !wrongRoles.length && !resurrected.length, `list misses ${missing.length} users the model holds, shows ${wrongRoles.length} with other roles than the model's, and ${resurrected.length} it deleted`);
  }
  toString = () => 'list';
}

export const modelCommands = (maxCommands: number) =>
  fc.commands(
    [
      fc.boolean().map((b) => new CreateUser(b)),
      fc.nat(9).map((i) => new GetUser(i)),
      fc.tuple(fc.nat(9), fc.nat(3)).map(([i, j]) => new UpdateRoles(i, j)),
      fc.nat(9).map((i) => new DeleteUser(i)),
      fc.nat(9).map((i) => new GetDeleted(i)),
      fc.constant(new ListUsers()),
    ],
    { maxCommands },
  );

/** Users each run starts with: commands on existing users (most of them) have something to act on from the first step. */
const START_USERS = [false, true].map((withRole) => new CreateUser(withRole));

/**
 * Runs one command sequence against the target's world organization and a model that starts
 * with two users, one with a role. Mismatches are recorded as `model_conformance`.
 */
export async function runModel(env: SuiteEnv, roles: string[], cmds: Iterable<fc.AsyncCommand<Model, Real>>): Promise<void> {
  const model: Model = { users: new Map(), gone: [] };
  const real: Real = { env, org: env.world.org, roles };
  try {
    for (const start of START_USERS) await start.run(model, real);
    await fc.asyncModelRun(() => ({ model, real }), cmds);
  } finally {
    // Each run starts from the world as it was: remove the users this sequence left.
    for (const id of model.users.keys()) await call(env, 'users_delete', { credential: env.target.partner, params: { org_id: env.world.org.id, id } });
  }
}

export { ModelMismatch };
