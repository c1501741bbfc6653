import type { CheckId, Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import { fieldMarks, requiredOnly } from '../../model/spec/fields';
import type { Operation, Spec } from '../../model/spec/load';
import { followRefs } from '../../model/spec/pointer';
import { type Resource, resourceOf, resourcesOf } from '../../model/spec/resources';
import { orgScoped } from '../../target/credentials';
import type { SuiteEnv } from '../env';
import { type Instance, pathParams, scopeKind } from '../generation/plan';
import { answered, call, data, holds, ok, status, step, UNKNOWN_ID } from './steps';

/**
 * An out-of-scope attempt that was refused is refused with the not-found answer and no data;
 * where the same request for an id that names nothing was also sent, both answers are the same,
 * so the refusal does not tell that the resource exists. (One that succeeded is judged on every
 * answer, by the check itself.)
 */
function refusedAsUnknown(env: SuiteEnv, rec: Recorded, check: CheckId, what: string, unknown?: Recorded): void {
  if (ok(rec) || !answered(env, rec, check, 'not_found_status', status(rec), `${what}: ${rec.exchange.request.method} ${rec.exchange.request.path} got ${status(rec)}`)) return;
  holds(env, rec, check, data(rec) === undefined, `${what}: the refusal carries data`, { actual: data(rec) });
  if (unknown) {
    holds(env, rec, check, status(unknown) === status(rec), `${what} got ${status(rec)} where an id that names nothing gets ${status(unknown)}: the answer tells that it exists`, {
      expected: status(unknown),
      actual: status(rec),
      ...citeInvariant(env.target.contracts.invariants, 'existence_not_revealed'),
    });
  }
}

/** Operations whose path names an instance of `kind` itself (its last path parameter). */
export function addressing(spec: Spec, kind: string): Operation[] {
  return spec.operations.filter((op) => pathParams(op).at(-1)?.resource === kind && resourcesOf(spec).routeOf.get(op.id)?.role !== 'create' && resourcesOf(spec).routeOf.get(op.id)?.role !== 'list');
}

/** Resources that live in another (users, roles and policies in an organization). */
export const nested = (spec: Spec): Resource[] => [...resourcesOf(spec).byKind.values()].filter((r) => r.within);

/**
 * An instance of organization B is out of reach from organization A, as a scenario: every
 * operation that names it, through A's path or with A's credential, then A's lists, then a read
 * of it where it lives. The run's checks judge an answer that reaches it (cross_org_access), a
 * list of A that holds it (answers_in_scope) and a change a refused write made; at this moment,
 * that the refusal is the not-found answer, the same as for an id that names nothing.
 */
export async function crossOrgAccess(env: SuiteEnv, resource: Resource): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  const parent = resource.within!.kind;
  const a = await world.instance(parent);
  const inB = await world.fresh(resource.kind, { within: await world.fresh(parent) });
  const posing: Instance = { ...inB, within: a };
  let first = true;
  for (const op of addressing(spec, resource.kind)) {
    const plan = await world.plan(op.id, { target: posing });
    const asks = { kind: 'probe', asks: 'not_found_status' } as const;
    const unknown = first ? await step(env, await world.plan(op.id, { target: { ...posing, id: UNKNOWN_ID } }), { body: plan.example }, asks) : undefined;
    const rec = await step(env, plan, { body: plan.example }, asks);
    refusedAsUnknown(env, rec, 'cross_org_access', `a ${resource.kind} of another ${parent}, addressed in ${parent} ${a.id}`, unknown);
    first = false;
  }
  for (const set of resource.routes) await step(env, await world.plan(set.list.id, { target: a, within: a }));
  await step(env, await world.plan(resource.routes[0].read.id, { target: inB }));
}

/**
 * Another partner reaches nothing of this partner's, as a scenario: its own key on every
 * operation that names this partner's instances, its key scoped to this partner's organization
 * on the rest, then a read of each instance. The run's checks judge an answer that reaches
 * anything and a change a refused write made (cross_partner_access); at this moment, the status
 * of each refusal, and that it is the same as for an id that names nothing.
 */
export async function crossPartnerAccess(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  const foreign = env.target.foreignPartner!;
  const scopeK = scopeKind(spec);
  const mine: Instance[] = [];
  for (const r of resourcesOf(spec).byKind.values()) mine.push(await world.instance(r.kind));
  const notFound = { kind: 'probe', asks: 'not_found_status' } as const;
  const unknownOrg = await step(env, await world.plan(resourcesOf(spec).byKind.values().next().value!.routes[0].read.id, { target: { ...mine[0], id: UNKNOWN_ID } }), { credential: foreign }, notFound);
  let compared = false;
  for (const op of spec.operations) {
    const kind = pathParams(op).at(-1)?.resource;
    const target = kind ? mine.find((i) => i.kind === kind) : undefined;
    const plan = await world.plan(op.id, { target, within: target ? undefined : mine.find((i) => i.kind === scopeK) });
    if (plan.credential.kind === env.target.own.kind && kind) {
      const rec = await step(env, plan, { credential: foreign, body: plan.example }, notFound);
      refusedAsUnknown(env, rec, 'cross_partner_access', "another partner's key", compared ? undefined : unknownOrg);
      compared = true;
    } else if (plan.credential.kind === env.target.own.scopedKind && plan.scope) {
      // Their key with our organization's id: a forged organization-scoped credential.
      const rec = await step(env, plan, { credential: orgScoped(foreign, plan.scope.id), body: plan.example }, { kind: 'probe', asks: 'foreign_org_key_status' });
      if (!ok(rec) && answered(env, rec, 'cross_partner_access', 'foreign_org_key_status', status(rec), `another partner's key scoped to organization ${plan.scope.id}: ${op.id} got ${status(rec)}`)) {
        holds(env, rec, 'cross_partner_access', data(rec) === undefined, `another partner's key scoped to organization ${plan.scope.id}: the refusal carries data`, { actual: data(rec) });
      }
    }
  }
  for (const inst of mine) await step(env, await world.plan(resourcesOf(spec).byKind.get(inst.kind)!.routes[0].read.id, { target: inst }));
}

/**
 * No top-level instance of another partner ever appears in a partner's list, either way round:
 * this makes both lists after an instance of this run's; every answer of the run is judged by the
 * same rule once it knows whose each instance is (checks/watch.ts), these included.
 */
export async function listIsolation(env: SuiteEnv): Promise<void> {
  const { spec } = env.target;
  for (const r of [...resourcesOf(spec).byKind.values()].filter((x) => !x.within)) {
    await env.world.instance(r.kind);
    const list = r.routes[0].list.id;
    await call(env, list, { credential: env.target.foreignPartner! });
    await call(env, list, { credential: env.target.own });
  }
}

/**
 * A create never lands in another organization because its body names one, as a scenario: each
 * create naming organization B while acting in A. The run's checks judge where an accepted one
 * landed (mass_assignment); at this moment, what a declared field's question is answered with
 * when it does not land there (rejected, ignored).
 */
export async function massAssignment(env: SuiteEnv, resource: Resource): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  const parent = resource.within!;
  const a = await world.instance(parent.kind);
  const b = await world.fresh(parent.kind);
  for (const set of resource.routes) {
    const create = await world.plan(set.create.id, { within: a });
    const props = followRefs(spec.doc, { $ref: set.create.requestBody!.schemaPointer }, '').node?.properties ?? {};
    const declared = fieldMarks(spec.doc, set.create.requestBody!.schemaPointer).find((m) => m.path.length === 1 && m.path[0] === parent.field && m.otherAnsweredBy);
    // Only what the body needs, lists emptied, so nothing else in it (a role of this organization) decides the answer.
    const body = { ...requiredOnly(spec.doc, set.create.requestBody!.schemaPointer, create.example ?? {}, true), [parent.field]: b.id, ...('id' in props ? {} : { id: b.id }) };
    const rec = await step(env, create, { body }, { kind: 'probe', asks: declared?.otherAnsweredBy });
    const landed = ok(rec) ? data(rec)?.[parent.field] : undefined;
    if (declared?.otherAnsweredBy && landed !== b.id) {
      answered(env, rec, 'mass_assignment', declared.otherAnsweredBy, !ok(rec) ? 'rejected' : 'ignored', `${set.create.id} in ${parent.kind} ${a.id} naming ${parent.kind} ${b.id} got ${status(rec)}${ok(rec) ? `, landing in ${landed}` : ''}`);
    }
  }
}

/**
 * The owner organization, as a scenario: the organization list (the run's checks judge that it is
 * first there, on this and every list), and where probing is allowed a delete of it (judged by
 * owner_org_protected) and a read. At this moment: that it is listed at all.
 */
export async function ownerOrganization(env: SuiteEnv, ownerId: string, probeDelete: boolean): Promise<void> {
  const routes = resourceOf(env.target.spec, scopeKind(env.target.spec) ?? '').routes[0];
  const list = await call(env, routes.list.id, { credential: env.target.own });
  holds(env, list, 'owner_org_first', !ok(list) || (Array.isArray(data(list)) && data(list).some((o: { id?: string }) => o?.id === ownerId)), `the owner organization ${ownerId} is not in the organization list`, { expected: ownerId, ...citeInvariant(env.target.contracts.invariants, 'owner_org_first') });
  if (!probeDelete) return;
  const owner = { kind: scopeKind(env.target.spec)!, id: ownerId, data: {} };
  await call(env, routes.delete.id, { credential: env.target.own, params: (await env.world.plan(routes.delete.id, { target: owner })).params });
  await call(env, routes.read.id, { credential: env.target.own, params: (await env.world.plan(routes.read.id, { target: owner })).params });
}
