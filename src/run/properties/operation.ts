import fc from 'fast-check';
import type { Operation } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { planFor } from '../generation/plan';
import { relative } from 'node:path';
import { type Draft, draftArbitrary, materialise, type Mode, staleDraft } from '../generation/requests';
import type { Regression } from './corpus';
import { checkProperty, type PropertyOptions, type PropertyOutcome } from './runner';

/**
 * The property "every generated request of this mode gets a conforming answer" for one
 * operation (or for one stored request, `draft`). Returns undefined when the mode has nothing to
 * generate (no negative inputs).
 */
export async function operationProperty(env: SuiteEnv, op: Operation, mode: Mode, opts: PropertyOptions & { draft?: Draft }): Promise<PropertyOutcome | undefined> {
  // A stored request (a regression) is sent as it is, not generated again.
  const arb = opts.draft ? fc.constant(opts.draft) : draftArbitrary(env.target.spec, op, mode, env.target.contracts.profile);
  if (!arb) return undefined;
  return checkProperty(env, arb, async (draft, e) => {
    // A run that changes what its path names gets one of its own: its answer, and a replay of it, depend on it alone.
    const plan = await planFor(op, e.world, { freshTarget: op.method !== 'get' && mode !== 'negative' });
    const { parts, intent, unusable } = materialise(draft, plan, op, e.target.validators, () => e.sb.uniqueName('idem'));
    if (unusable !== undefined) plan.settle();
    // Not a server failure: the sample cannot be sent as intended, so fast-check skips it.
    fc.pre(unusable === undefined);
    const rec = await e.send(op, parts, intent);
    plan.settle(rec.exchange);
  }, opts);
}

/**
 * Replays a stored failure: the request it stored, sent as it is, unless the spec has changed so
 * that it no longer means what it did (then it is not sent, and the note says why). A failure
 * stored without its request is replayed by seed and path, which regenerates it: the note says so.
 */
export async function replayRegression(env: SuiteEnv, op: Operation, mode: Mode, r: Regression, grep: string): Promise<{ outcome?: PropertyOutcome; note?: string }> {
  const where = relative(process.cwd(), r.file ?? '') || 'the regression corpus';
  if (!r.request) {
    const outcome = await operationProperty(env, op, mode, { seed: r.seed, path: r.path, numRuns: 1, grep });
    return { outcome, note: `${where} (found ${r.found}) stores no request: regenerated from seed ${r.seed} and path ${r.path}, which a spec change alters` };
  }
  const stale = staleDraft(r.request, op, env.target.validators);
  if (stale) return { note: `${where} (found ${r.found}) no longer fits the spec: ${stale}; not replayed (update or delete it)` };
  return { outcome: await operationProperty(env, op, mode, { seed: r.seed, numRuns: 1, grep, draft: r.request }) };
}
