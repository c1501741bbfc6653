import { expectRule } from '../../checks/stateful';
import { citeInvariant, type InvariantId } from '../../model/contracts';
import { type FieldMark, fieldMarks, mapAt, valuesAt } from '../../model/spec/fields';
import type { Operation, Spec } from '../../model/spec/load';
import { resourceOf, resourcesOf } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import { scopeKind } from '../generation/plan';
import { answered, data, ok, status, step, UNKNOWN_ID } from './steps';

/** Operations whose bodies name instances of `kind` in fields the spec gives a rejection question (x-unknown-rejected-as). */
export function referringOperations(spec: Spec, kind: string): { op: Operation; marks: FieldMark[] }[] {
  return spec.operations
    .filter((op) => op.requestBody)
    .map((op) => ({ op, marks: fieldMarks(spec.doc, op.requestBody!.schemaPointer).filter((m) => m.resource === kind && m.unknownRejectedAs) }))
    .filter((x) => x.marks.length);
}

/** Kinds some body refers to with a rejection question. */
export function referredKinds(spec: Spec): string[] {
  return [...resourcesOf(spec).byKind.keys()].filter((k) => referringOperations(spec, k).length);
}

/** The array a reference mark sits in (`role_ids/*` -> `role_ids`), so it can be given one value. */
const holder = (m: FieldMark) => (m.path.at(-1) === '*' ? m.path.slice(0, -1) : m.path);

/**
 * References in request bodies (spec `x-resource` with `x-unknown-rejected-as`) to an instance of
 * another organization, or to none, are refused with the status the profile gives, and change
 * nothing: a user given a role of another organization, a policy binding one.
 */
export async function foreignReferences(env: SuiteEnv, kind: string): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  const home = resourceOf(spec, kind).within?.kind ?? scopeKind(spec)!;
  const elsewhere = await world.fresh(kind, { within: await world.fresh(home) });
  for (const { op, marks } of referringOperations(spec, kind)) {
    for (const [what, id] of [
      ['of another organization', elsewhere.id],
      ['that names nothing', UNKNOWN_ID],
    ] as const) {
      const plan = await world.plan(op.id);
      let body: unknown = plan.example ?? {};
      for (const m of marks) body = mapAt(body, holder(m), (v) => (m.path.at(-1) === '*' ? [id] : Array.isArray(v) ? v : id));
      const rec = await step(env, plan, { body }, { kind: 'probe', asks: marks[0].unknownRejectedAs });
      answered(env, rec, 'cross_org_reference', marks[0].unknownRejectedAs!, ok(rec) ? 'accepted' : status(rec), `${op.id} naming a ${kind} ${what} (${id}) got ${status(rec)}`);
      if (plan.target && resourcesOf(spec).routeOf.get(op.id)?.role === 'update') {
        const read = resourcesOf(spec).routeOf.get(op.id)!.resource.routes[0].read;
        const after = await step(env, await world.plan(read.id, { target: plan.target }));
        const held = marks.flatMap((m) => valuesAt(data(after), m.path));
        expectRule(after, 'cross_org_reference', !held.includes(id), `${plan.target.kind} ${plan.target.id} holds ${kind} ${id} ${what} after ${op.id} was refused`, { actual: held });
      }
    }
  }
}

/** Entity fields that name instances of `kind` and say what becomes of them once it is deleted (x-after-delete). */
function keepers(spec: Spec, kind: string) {
  return [...resourcesOf(spec).byKind.values()].flatMap((r) => fieldMarks(spec.doc, `#/components/schemas/${r.entity}`).filter((m) => m.resource === kind && m.afterDelete).map((m) => ({ resource: r, mark: m })));
}

export function deletableReferences(spec: Spec): string[] {
  return [...resourcesOf(spec).byKind.keys()].filter((k) => keepers(spec, k).length);
}

/**
 * What a reference becomes once the instance it names is deleted (spec `x-after-delete`): a
 * custom role given to a user and bound in a policy, then deleted; the policy keeps the stale id
 * (a documented fact), the user what the profile says.
 */
export async function referenceAfterDelete(env: SuiteEnv, kind: string): Promise<void> {
  const { world } = env;
  const { spec, contracts } = env.target;
  const home = await world.instance(resourceOf(spec, kind).within?.kind ?? scopeKind(spec)!);
  const named = await world.fresh(kind, { within: home });
  const holders = [];
  for (const { resource, mark } of keepers(spec, kind)) {
    const create = await world.plan(resource.routes[0].create.id, { within: home });
    let body: unknown = create.example ?? {};
    for (const m of fieldMarks(spec.doc, resource.routes[0].create.requestBody!.schemaPointer).filter((x) => x.resource === kind)) body = mapAt(body, holder(m), () => (m.path.at(-1) === '*' ? [named.id] : named.id));
    const made = await step(env, create, { body }, { kind: 'positive' });
    if (made.made) holders.push({ resource, mark, inst: made.made });
  }
  const question = keepers(spec, kind).find((k) => k.mark.afterDelete?.question)?.mark.afterDelete?.question;
  const del = await step(env, await world.plan(resourceOf(spec, kind).routes[0].delete.id, { target: named }), {}, { kind: 'probe', asks: question });
  for (const { resource, mark, inst } of holders) {
    const question = mark.afterDelete?.question;
    if (!ok(del)) {
      // Refusing to delete what is still referred to is one answer to the question.
      if (question) answered(env, del, 'reference_after_delete', question, 'refused', `deleting ${kind} ${named.id}, still named by ${resource.kind} ${inst.id}, got ${status(del)}`);
      continue;
    }
    const after = await step(env, await world.plan(resource.routes[0].read.id, { target: inst }));
    if (!ok(after)) continue;
    const kept = valuesAt(data(after), mark.path).includes(named.id);
    const where = `${resource.kind} ${inst.id} ${mark.path.filter((p) => p !== '*').join('.')}`;
    if (question) answered(env, after, 'reference_after_delete', question, kept ? 'kept' : 'removed', `after ${kind} ${named.id} was deleted, ${where} ${kept ? 'still names it' : 'no longer names it'}`);
    else {
      const invariant = mark.afterDelete!.invariant as InvariantId;
      expectRule(after, 'reference_after_delete', kept, `after ${kind} ${named.id} was deleted, ${where} no longer names it`, { expected: named.id, actual: valuesAt(data(after), mark.path), ...citeInvariant(contracts.invariants, invariant) });
    }
  }
}
