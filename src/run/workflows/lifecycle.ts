import { expectRule } from '../../checks/stateful';
import { citeInvariant, type InvariantId } from '../../model/contracts';
import { fieldMarks, requiredOnly } from '../../model/spec/fields';
import { followRefs, type Node } from '../../model/spec/pointer';
import type { Resource } from '../../model/spec/resources';
import { carriesMarker } from '../../target/ledger';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { contains, isEmpty } from './compare';
import { answered, data, ids, ok, status, step } from './steps';

/** The entity schema's properties, `$ref`s followed. */
function entityProps(env: SuiteEnv, resource: Resource): Record<string, Node> {
  const { doc } = env.target.spec;
  return followRefs(doc, { $ref: `#/components/schemas/${resource.entity}` }, '').node?.properties ?? {};
}

/**
 * A resource's lifecycle through one of its route sets (spec x-resources): create with the
 * required fields -> read, with the run's marker -> listed -> a second create with the same
 * marker gets the profile's duplicate answer -> update with the full example -> a read reflects
 * it, and a sibling made after it is untouched (fields the spec says an update ignores keep their value) -> where updates replace whole,
 * an update with as little as it may clears the rest -> delete -> read gets the not-found answer
 * -> no longer listed.
 */
export async function lifecycle(env: SuiteEnv, resource: Resource, setIndex = 0): Promise<void> {
  const { world } = env;
  const { doc } = env.target.spec;
  const set = resource.routes[setIndex];
  const invariants = env.target.contracts.invariants;

  const create = await world.plan(set.create.id);
  const minimal = requiredOnly(doc, set.create.requestBody!.schemaPointer, create.example ?? {});
  const created = await step(env, create, { body: minimal }, { kind: 'positive' });
  const inst = created.made;
  if (!ok(created) || !inst) return;
  const marker = String(minimal[resource.marker]);

  const read = async (i: Instance) => step(env, await world.plan(set.read.id, { target: i }));
  const list = async () => step(env, await world.plan(set.list.id, { target: inst.within, within: inst.within }));

  const got = await read(inst);
  // A marker the answer breaks the schema of is the schema check's defect, on this same exchange: not a second one.
  const shown = data(got)?.[resource.marker];
  const comparable = shown === undefined || env.target.validators.check(`#/components/schemas/${resource.entity}/properties/${resource.marker}`, shown).length === 0;
  expectRule(got, 'ensure_resource_availability', ok(got) && (!comparable || carriesMarker(shown, marker)), `created ${resource.kind} ${inst.id} is not retrievable with its ${resource.marker} (got ${status(got)})`, {
    expected: { [resource.marker]: marker },
    actual: data(got)?.[resource.marker],
  });
  const listed = await list();
  expectRule(listed, 'ensure_resource_availability', ids(listed).includes(inst.id), `created ${resource.kind} ${inst.id} is not listed`);

  if (resource.duplicateAnsweredBy) {
    // A twin is refused, answered with the instance already there, or made, as the profile says.
    const twin = await step(env, create, { body: minimal }, { kind: 'probe', asks: resource.duplicateAnsweredBy });
    const answer = ok(twin) ? (data(twin)?.id === inst.id ? 'existing' : 'allowed') : status(twin);
    answered(env, twin, 'unique_names', resource.duplicateAnsweredBy, answer, `a second ${resource.kind} with the ${resource.marker} ${marker} got ${status(twin)}${ok(twin) ? ` (${data(twin)?.id})` : ''}`);
  }

  if (set.update) {
    // A sibling made after it (the newest in its scope) must not take the update: a write landing
    // on the wrong record shows here, not only in a lucky model run.
    const sibling = await world.fresh(resource.kind, { within: inst.within });
    // As read, not as created: a server may fill fields in after the create answer.
    const siblingBefore = data(await read(sibling)) ?? sibling.data;
    const update = await world.plan(set.update.id, { target: { ...inst, data: data(got) ?? inst.data } });
    const marks = fieldMarks(doc, set.update.requestBody!.schemaPointer);
    const body = { ...update.example };
    // A field the spec says an update ignores gets another value: the instance must keep its own.
    const ignored = marks.filter((m) => m.updateIgnores && m.path.length === 1);
    for (const m of ignored) body[m.path[0]] = m.schema.format === 'email' ? world.sb.uniqueEmail('other') : world.sb.uniqueName('other');
    const upd = await step(env, update, { body }, { kind: 'positive' });
    if (ok(upd)) {
      const after = await read(inst);
      const d = data(after) ?? {};
      const props = entityProps(env, resource);
      const reqProps = followRefs(doc, { $ref: set.update.requestBody!.schemaPointer }, '').node?.properties ?? {};
      const compared = Object.fromEntries(
        Object.entries(body).filter(([k]) => k in props && !followRefs(doc, reqProps[k] ?? {}, '').node?.writeOnly && !marks.some((m) => m.path[0] === k && (m.updateIgnores || m.fromResource))),
      );
      expectRule(after, 'update_applied', contains(compared, d), `update of ${resource.kind} ${inst.id} not reflected by a later read`, { expected: compared, actual: d });
      const untouched = await read(sibling);
      const kept = Object.fromEntries(Object.keys(compared).map((k) => [k, siblingBefore[k]]));
      expectRule(untouched, 'update_applied', contains(kept, data(untouched) ?? {}), `an update of ${resource.kind} ${inst.id} changed ${resource.kind} ${sibling.id}, made after it`, { expected: kept, actual: data(untouched) });
      for (const m of ignored) {
        const before = inst.data[m.path[0]];
        expectRule(after, 'update_applied', contains(before, d[m.path[0]]), `after an update sending ${body[m.path[0]]} the ${m.path[0]} is ${d[m.path[0]]}, not ${before}`, {
          expected: before,
          actual: d[m.path[0]],
          ...citeInvariant(invariants, m.updateIgnores as InvariantId),
        });
      }
      if (resource.updateReplacesWhole) await replacedWhole(env, resource, update, set.update.requestBody!.schemaPointer, inst, read);
    }
  }

  const del = await step(env, await world.plan(set.delete.id, { target: inst }), {}, { kind: 'positive' });
  if (!ok(del)) return;
  const gone = await step(env, await world.plan(set.read.id, { target: inst }), {}, { kind: 'probe', asks: 'not_found_status' });
  answered(env, gone, 'use_after_free', 'not_found_status', status(gone), `deleted ${resource.kind} ${inst.id} answers ${status(gone)}`);
  const relisted = await list();
  expectRule(relisted, 'use_after_free', !ids(relisted).includes(inst.id), `deleted ${resource.kind} ${inst.id} is still listed`);
}

/** An update with only the required fields (lists at their minimum) leaves nothing else behind. */
async function replacedWhole(env: SuiteEnv, resource: Resource, update: Awaited<ReturnType<SuiteEnv['world']['plan']>>, pointer: string, inst: Instance, read: (i: Instance) => ReturnType<typeof step>): Promise<void> {
  const { doc } = env.target.spec;
  const fixed = update.fixBody ? update.fixBody(update.example ?? {}) : (update.example ?? {});
  const body = requiredOnly(doc, pointer, fixed, true);
  const upd = await step(env, update, { body });
  if (!ok(upd)) return;
  const after = await read(inst);
  const d = data(after) ?? {};
  const props = entityProps(env, resource);
  const reqProps = followRefs(doc, { $ref: pointer }, '').node?.properties ?? {};
  const left = Object.keys(reqProps).filter((k) => k in props && k !== resource.within?.field && (!(k in body) || isEmpty(body[k])) && !isEmpty(d[k], followRefs(doc, props[k], '').node, doc));
  expectRule(after, 'update_applied', left.length === 0, `${resource.kind} ${inst.id} kept ${left.join(', ')} after an update that left them out: merged, not replaced`, {
    expected: body,
    actual: Object.fromEntries(left.map((k) => [k, d[k]])),
    ...citeInvariant(env.target.contracts.invariants, resource.updateReplacesWhole as InvariantId),
  });
}
