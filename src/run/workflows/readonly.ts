import { expectRule } from '../../checks/stateful';
import { isReadonly, type Resource } from '../../model/spec/resources';
import type { SuiteEnv } from '../env';
import type { Instance } from '../generation/plan';
import { answered, data, ok, status, step } from './steps';

/**
 * Instances no one may change (spec x-resources `readonly`: built-in roles): listed in every
 * organization the run makes, with the names the profile gives; an update and a delete of one get
 * the profile's answers; where they are refused, the instance is still there and unchanged.
 */
export async function readonlyInstances(env: SuiteEnv, resource: Resource): Promise<void> {
  const { world } = env;
  const ro = resource.readonly!;
  const set = resource.routes[0];
  const home = await world.instance(resource.within!.kind);
  const listed = await step(env, await world.plan(set.list.id, { target: home, within: home }));
  const builtIn: Record<string, unknown>[] = (Array.isArray(data(listed)) ? data(listed) : []).filter((x: unknown) => isReadonly(resource, x));
  if (ro.namesAnsweredBy) {
    const names = builtIn.map((x) => String(x[resource.marker])).sort((a, b) => a.localeCompare(b));
    answered(env, listed, 'readonly_instances_protected', ro.namesAnsweredBy, names.join(', ') || 'none', `a new ${home.kind} lists the built-in ${resource.kind}s ${names.join(', ') || '(none)'}`);
  }
  const first = builtIn[0];
  if (typeof first?.id !== 'string') return;
  const inst: Instance = { kind: resource.kind, id: first.id, data: first, within: home };
  const read = async () => step(env, await world.plan(set.read.id, { target: inst }));

  if (set.update) {
    const update = await world.plan(set.update.id, { target: inst });
    const upd = await step(env, update, { body: update.example }, { kind: 'probe', asks: ro.updateRejectedAs });
    const refused = answered(env, upd, 'readonly_instances_protected', ro.updateRejectedAs, ok(upd) ? 'allowed' : status(upd), `updating the built-in ${resource.kind} ${first[resource.marker]} got ${status(upd)}`) && !ok(upd);
    if (refused) {
      const after = await read();
      expectRule(after, 'readonly_instances_protected', ok(after) && data(after)?.[resource.marker] === first[resource.marker], `the built-in ${resource.kind} ${first[resource.marker]} changed after a refused update`, {
        expected: first[resource.marker],
        actual: data(after)?.[resource.marker],
      });
    }
  }
  const del = await step(env, await world.plan(set.delete.id, { target: inst }), {}, { kind: 'probe', asks: ro.deleteRejectedAs });
  if (answered(env, del, 'readonly_instances_protected', ro.deleteRejectedAs, ok(del) ? 'allowed' : status(del), `deleting the built-in ${resource.kind} ${first[resource.marker]} got ${status(del)}`) && !ok(del)) {
    const still = await read();
    expectRule(still, 'readonly_instances_protected', ok(still), `the built-in ${resource.kind} ${first[resource.marker]} is gone after a refused delete (${status(still)})`);
  }
}
