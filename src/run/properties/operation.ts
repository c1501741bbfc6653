import { planFor } from '../generation/plan';
import { draftArbitrary, materialise, type Mode } from '../generation/requests';
import type { Operation } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { discoverRoleIds } from '../roles';
import { checkProperty, type PropertyOptions, type PropertyOutcome } from './runner';
import fc from 'fast-check';

/**
 * The property "every generated request of this mode gets a conforming answer" for one
 * operation. Returns undefined when the mode has nothing to generate (no negative inputs).
 */
export async function operationProperty(env: SuiteEnv, op: Operation, mode: Mode, opts: PropertyOptions): Promise<PropertyOutcome | undefined> {
  const arb = draftArbitrary(env.target.spec, op, mode, env.target.contracts.profile);
  if (!arb) return undefined;
  const roleIds = await discoverRoleIds(env.target);
  return checkProperty(env, arb, async (draft, e) => {
    const plan = await planFor(op, { sb: e.sb, world: e.world, roleIds });
    const { parts, intent, unusable } = materialise(draft, plan, op, e.target.validators, () => e.sb.uniqueName('idem'));
    // Not a server failure: the sample cannot be sent as intended, so fast-check skips it.
    fc.pre(unusable === undefined);
    const rec = await e.send(op, parts, intent);
    if (rec.exchange.response.status < 300) plan.onCreated?.((rec.exchange.response.json as any)?.data);
  }, opts);
}
