import { type FieldMark, fieldMarks, mapAt } from '../../model/spec/fields';
import type { Operation, Spec } from '../../model/spec/load';
import { type Resource, resourceOf, resourcesOf } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import { type Instance, scopeKind } from '../generation/plan';
import { answered, ok, status, step, UNKNOWN_ID } from './steps';

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
 * another organization, or to none, as a scenario: each referring operation sent once naming
 * each, and an update's instance read after. The run's checks judge an accepted reference to
 * another organization's and that a refused write changed nothing (cross_org_reference); at this
 * moment, what the run alone knows: that the refusal has the profile's status, and that an id it
 * made up names nothing.
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
      // An accepted reference to another organization's is judged on every answer; one to nothing only here.
      if (!ok(rec) || id === UNKNOWN_ID) answered(env, rec, 'cross_org_reference', marks[0].unknownRejectedAs!, ok(rec) ? 'accepted' : status(rec), `${op.id} naming a ${kind} ${what} (${id}) got ${status(rec)}`);
      if (plan.target && resourcesOf(spec).routeOf.get(op.id)?.role === 'update') {
        await step(env, await world.plan(resourcesOf(spec).routeOf.get(op.id)!.resource.routes[0].read.id, { target: plan.target }));
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
 * What a reference becomes once the instance it names is deleted (spec `x-after-delete`), as a
 * scenario: a custom role given to a user and bound in a policy, then deleted, then each holder
 * read, then an update naming the deleted one again. The run's checks judge what each read shows
 * (reference_after_delete) and an accepted reference to a deleted instance (cross_org_reference);
 * a delete refused while the role is held is the `refused` answer, judged here, where the run
 * knows why it sent it.
 */
export async function referenceAfterDelete(env: SuiteEnv, kind: string): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  const home = await world.instance(resourceOf(spec, kind).within?.kind ?? scopeKind(spec)!);
  const named = await world.fresh(kind, { within: home });
  const holders: { resource: Resource; inst: Instance }[] = [];
  for (const { resource } of keepers(spec, kind)) {
    const create = await world.plan(resource.routes[0].create.id, { within: home });
    let body: unknown = create.example ?? {};
    for (const m of fieldMarks(spec.doc, resource.routes[0].create.requestBody!.schemaPointer).filter((x) => x.resource === kind)) body = mapAt(body, holder(m), () => (m.path.at(-1) === '*' ? [named.id] : named.id));
    const made = await step(env, create, { body }, { kind: 'positive' });
    if (made.made) holders.push({ resource, inst: made.made });
  }
  const question = keepers(spec, kind).find((k) => k.mark.afterDelete?.question)?.mark.afterDelete?.question;
  const del = await step(env, await world.plan(resourceOf(spec, kind).routes[0].delete.id, { target: named }), {}, { kind: 'probe', asks: question });
  if (!ok(del)) {
    if (question) answered(env, del, 'reference_after_delete', question, 'refused', `deleting ${kind} ${named.id}, still named by ${holders.map((h) => `${h.resource.kind} ${h.inst.id}`).join(', ')}, got ${status(del)}`);
    return;
  }
  for (const { resource, inst } of holders) await step(env, await world.plan(resource.routes[0].read.id, { target: inst }));
  // The deleted one named again, by an update of a holder: refused, as a reference to nothing is.
  const again = referringOperations(spec, kind).find(({ op }) => holders.some((h) => h.resource.routes[0].update?.id === op.id));
  const target = again && holders.find((h) => h.resource.routes[0].update?.id === again.op.id)!.inst;
  if (!again || !target) return;
  const plan = await world.plan(again.op.id, { target });
  let body: unknown = plan.example ?? {};
  for (const m of again.marks) body = mapAt(body, holder(m), (v) => (m.path.at(-1) === '*' ? [named.id] : Array.isArray(v) ? v : named.id));
  const rec = await step(env, plan, { body }, { kind: 'probe', asks: again.marks[0].unknownRejectedAs });
  // Accepted, it is judged on every answer (cross_org_reference); refused, its status is the profile's.
  if (!ok(rec)) answered(env, rec, 'cross_org_reference', again.marks[0].unknownRejectedAs!, status(rec), `${again.op.id} naming ${kind} ${named.id}, deleted, got ${status(rec)}`);
}
