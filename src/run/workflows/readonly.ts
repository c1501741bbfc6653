import { isReadonly, type Resource } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { data, ok, step } from './steps';

/**
 * Instances no one may change (spec x-resources `readonly`: built-in roles), as a scenario: a new
 * organization's list of them, then an update and a delete of one, each followed by a read. The
 * run's checks judge the names listed, the answers to both, and that a refused change left the
 * instance as it was (readonly_instances_protected).
 */
export async function readonlyInstances(env: SuiteEnv, resource: Resource): Promise<void> {
  const { world } = env;
  const ro = resource.readonly!;
  const set = resource.routes[0];
  const home = await world.instance(resource.within!.kind);
  const listed = await step(env, await world.plan(set.list.id, { target: home, within: home }));
  const first = (Array.isArray(data(listed)) ? data(listed) : []).find((x: unknown) => isReadonly(resource, x));
  if (typeof first?.id !== 'string') return;
  const inst: Instance = { kind: resource.kind, id: first.id, data: first, within: home };
  const read = async () => step(env, await world.plan(set.read.id, { target: inst }));
  if (set.update) {
    const update = await world.plan(set.update.id, { target: inst });
    if (!ok(await step(env, update, { body: update.example }, { kind: 'probe', asks: ro.updateRejectedAs }))) await read();
  }
  if (!ok(await step(env, await world.plan(set.delete.id, { target: inst }), {}, { kind: 'probe', asks: ro.deleteRejectedAs }))) await read();
}
