import fc from 'fast-check';
import type { Operation } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { planFor } from '../generation/plan';
import { draftArbitrary, materialise, type Mode } from '../generation/requests';
import { checkProperty, type PropertyOptions, type PropertyOutcome } from './runner';

/**
 * The property "every generated request of this mode gets a conforming answer" for one
 * operation. Returns undefined when the mode has nothing to generate (no negative inputs).
 */
export async function operationProperty(env: SuiteEnv, op: Operation, mode: Mode, opts: PropertyOptions): Promise<PropertyOutcome | undefined> {
  const arb = draftArbitrary(env.target.spec, op, mode, env.target.contracts.profile);
  if (!arb) return undefined;
  return checkProperty(env, arb, async (draft, e) => {
    const plan = await planFor(op, e.world);
    const { parts, intent, unusable } = materialise(draft, plan, op, e.target.validators, () => e.sb.uniqueName('idem'));
    if (unusable !== undefined) plan.settle();
    // Not a server failure: the sample cannot be sent as intended, so fast-check skips it.
    fc.pre(unusable === undefined);
    const rec = await e.send(op, parts, intent);
    plan.settle(rec.exchange);
  }, opts);
}
