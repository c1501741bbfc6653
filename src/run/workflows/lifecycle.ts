import { fieldMarks, requiredOnly } from '../../model/spec/fields';
import type { Resource } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { data, ok, step } from './steps';

/**
 * A resource's lifecycle through one of its route sets (spec x-resources), as a scenario: it
 * decides what to send, and the run's checks judge every answer against what the run did and saw
 * (src/checks/record.ts): create with the required fields -> read -> list -> a second create with
 * the same name -> a sibling made after it -> update with the full example (a field the spec says
 * an update ignores given another value) -> read, list, and the sibling read -> where updates
 * replace whole, an update with as little as it may -> read -> delete -> read -> list.
 */
export async function lifecycle(env: SuiteEnv, resource: Resource, setIndex = 0): Promise<void> {
  const { world } = env;
  const { doc } = env.target.spec;
  const set = resource.routes[setIndex];

  const create = await world.plan(set.create.id);
  const minimal = requiredOnly(doc, set.create.requestBody!.schemaPointer, create.example ?? {});
  const created = await step(env, create, { body: minimal }, { kind: 'positive' });
  const inst = created.made;
  if (!ok(created) || !inst) return;

  const read = async (i: Instance) => step(env, await world.plan(set.read.id, { target: i }));
  const list = async () => step(env, await world.plan(set.list.id, { target: inst.within, within: inst.within }));

  const got = await read(inst);
  await list();
  // A second in its container: beyond what the container may hold, or a duplicate of its name.
  const full = resource.perContainer?.most === 1;
  const asks = full ? resource.perContainer!.beyond : resource.duplicateAnsweredBy;
  if (asks) await step(env, create, { body: minimal }, { kind: 'probe', asks });

  if (set.update) {
    // A sibling made after it (the newest in its scope) must not take the update; a container that holds one has none.
    const sibling = full ? undefined : await world.fresh(resource.kind, { within: inst.within });
    if (sibling) await read(sibling);
    const update = await world.plan(set.update.id, { target: { ...inst, data: data(got) ?? inst.data } });
    // Renamed to its sibling's marker: the spec's question says what that gets; a list after shows whether two share it.
    if (sibling && resource.renameAnsweredBy && typeof sibling.data[resource.marker] === 'string') {
      await step(env, update, { body: { ...update.example, [resource.marker]: sibling.data[resource.marker] } }, { kind: 'probe', asks: resource.renameAnsweredBy });
      await list();
    }
    const body = { ...update.example };
    // A field the spec says an update ignores gets another value: the instance must keep its own.
    for (const m of fieldMarks(doc, set.update.requestBody!.schemaPointer).filter((x) => x.updateIgnores && x.path.length === 1)) {
      body[m.path[0]] = m.schema.format === 'email' ? world.sb.uniqueEmail('other') : world.sb.uniqueName('other');
    }
    if (ok(await step(env, update, { body }, { kind: 'positive' }))) {
      await read(inst);
      await list();
      if (sibling) await read(sibling);
      if (resource.updateReplacesWhole) {
        // An update with only the required fields (lists at their minimum) leaves nothing else behind.
        const fixed = update.fixBody ? update.fixBody(update.example ?? {}) : (update.example ?? {});
        if (ok(await step(env, update, { body: requiredOnly(doc, set.update.requestBody!.schemaPointer, fixed, true) }))) await read(inst);
      }
    }
  }

  const del = await step(env, await world.plan(set.delete.id, { target: inst }), {}, { kind: 'positive' });
  if (!ok(del)) return;
  await step(env, await world.plan(set.read.id, { target: inst }), {}, { kind: 'probe', asks: 'not_found_status' });
  await list();
}
