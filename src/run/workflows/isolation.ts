import { expectRule } from '../../checks/stateful';
import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import { fieldMarks, requiredOnly } from '../../model/spec/fields';
import type { Operation, Spec } from '../../model/spec/load';
import { followRefs } from '../../model/spec/pointer';
import { type Resource, resourcesOf } from '../../model/spec/resources';
import { orgScoped } from '../../target/credentials';
import type { SuiteEnv } from '../env';
import { type Instance, pathParams, scopeKind } from '../generation/plan';
import { answered, call, data, ids, ok, status, step, UNKNOWN_ID } from './steps';

/**
 * An out-of-scope attempt is refused with the not-found answer and no data; where the same
 * request for an id that names nothing was also sent, both answers are the same, so the refusal
 * does not tell that the resource exists.
 */
function refusedAsUnknown(env: SuiteEnv, rec: Recorded, check: string, what: string, unknown?: Recorded): void {
  if (!answered(env, rec, check, 'not_found_status', status(rec), `${what}: ${rec.exchange.request.method} ${rec.exchange.request.path} got ${status(rec)}`)) return;
  expectRule(rec, check, data(rec) === undefined, `${what}: the refusal carries data`, { actual: data(rec) });
  if (unknown) {
    expectRule(rec, check, status(unknown) === status(rec), `${what} got ${status(rec)} where an id that names nothing gets ${status(unknown)}: the answer tells that it exists`, {
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
 * An instance of organization B is out of reach from organization A: every operation that names
 * it, through A's path or with A's credential, gets the not-found answer (the same as an id that
 * names nothing), no list of A shows it, and it stays as it was.
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
  for (const set of resource.routes) {
    const listed = await step(env, await world.plan(set.list.id, { target: a, within: a }));
    expectRule(listed, 'cross_org_access', !ids(listed).includes(inB.id), `${set.list.id} for ${parent} ${a.id} lists ${resource.kind} ${inB.id} of another ${parent}`);
  }
  const still = await step(env, await world.plan(resource.routes[0].read.id, { target: inB }));
  expectRule(still, 'cross_org_access', ok(still) && data(still)?.[resource.marker] === inB.data[resource.marker], `the ${resource.kind} of the other ${parent} was changed or removed (${status(still)})`, {
    expected: inB.data[resource.marker],
    actual: data(still)?.[resource.marker],
  });
}

/**
 * Another partner reaches nothing of this partner's: with its own key on every operation that
 * names this partner's instances, and with its key scoped to this partner's organization, every
 * answer is a refusal without data; everything stays.
 */
export async function crossPartnerAccess(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { spec, contracts } = env.target;
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
    if (plan.credential.kind === 'partner' && kind) {
      const rec = await step(env, plan, { credential: foreign, body: plan.example }, notFound);
      refusedAsUnknown(env, rec, 'cross_partner_access', "another partner's key", compared ? undefined : unknownOrg);
      compared = true;
    } else if (plan.credential.kind === 'org_basic' && plan.scope) {
      // Their key with our organization's id: a forged organization-scoped credential.
      const rec = await step(env, plan, { credential: orgScoped(foreign, plan.scope.id), body: plan.example }, { kind: 'probe', asks: 'foreign_org_key_status' });
      if (answered(env, rec, 'cross_partner_access', 'foreign_org_key_status', status(rec), `another partner's key scoped to organization ${plan.scope.id}: ${op.id} got ${status(rec)}`)) {
        expectRule(rec, 'cross_partner_access', data(rec) === undefined, `another partner's key scoped to organization ${plan.scope.id}: the refusal carries data`, { actual: data(rec) });
      }
    }
  }
  for (const inst of mine) {
    const r = resourcesOf(spec).byKind.get(inst.kind)!;
    const still = await step(env, await world.plan(r.routes[0].read.id, { target: inst }));
    expectRule(still, 'cross_partner_access', ok(still), `${inst.kind} ${inst.id} is gone after another partner tried to delete it (${status(still)})`, citeInvariant(contracts.invariants, 'tenant_scope'));
  }
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
    await call(env, list, { credential: env.target.partner });
  }
}

/**
 * A create never lands in another organization because its body names one: a field the spec
 * declares (with the question its answer is) does what the profile says; one it does not
 * declare is ignored.
 */
export async function massAssignment(env: SuiteEnv, resource: Resource): Promise<void> {
  const { world } = env;
  const { spec, contracts } = env.target;
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
    if (declared?.otherAnsweredBy) {
      answered(env, rec, 'mass_assignment', declared.otherAnsweredBy, !ok(rec) ? 'rejected' : landed === b.id ? 'honoured' : 'ignored', `${set.create.id} in ${parent.kind} ${a.id} naming ${parent.kind} ${b.id} got ${status(rec)}${ok(rec) ? `, landing in ${landed}` : ''}`);
    } else if (ok(rec)) {
      expectRule(rec, 'mass_assignment', landed === a.id && data(rec)?.id !== b.id, `a body field moved the ${resource.kind} to ${parent.kind} ${landed}`, { expected: a.id, actual: landed, ...citeInvariant(contracts.invariants, 'tenant_scope') });
    }
  }
}

/** The owner organization is listed first and, where probing is allowed, cannot be deleted. */
export async function ownerOrganization(env: SuiteEnv, ownerId: string, probeDelete: boolean): Promise<void> {
  // Where it is listed, it is first: judged on every list answer of the run (checks/watch.ts).
  const list = await call(env, 'organization_list', { credential: env.target.partner });
  expectRule(list, 'owner_org_first', ids(list).includes(ownerId), `the owner organization ${ownerId} is not in the organization list`, { expected: ownerId, ...citeInvariant(env.target.contracts.invariants, 'owner_org_first') });
  if (!probeDelete) return;
  const del = await call(env, 'organization_delete', { credential: env.target.partner, params: { id: ownerId } });
  const cite = citeInvariant(env.target.contracts.invariants, 'owner_org_protected');
  if (expectRule(del, 'owner_org_protected', !ok(del), `deleting the owner organization got ${status(del)}`, { actual: status(del), ...cite })) {
    answered(env, del, 'owner_org_protected', 'owner_org_delete_status', status(del), `deleting the owner organization got ${status(del)}`);
  }
  const still = await call(env, 'organization_get', { credential: env.target.partner, params: { id: ownerId } });
  expectRule(still, 'owner_org_protected', ok(still), `the owner organization is gone (${status(still)})`, cite);
}
