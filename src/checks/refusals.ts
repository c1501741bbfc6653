import { changesIn } from './changes';
import type { RunRecord } from './record';
import type { CheckContext, CheckId, Draft, Exchange } from './types';

/** Instances a refused write changed after all, where the refusal was `check`'s rule (another tenant's key, a built-in...). */
export function changedAfterRefusal(ex: Exchange, ctx: CheckContext, seen: RunRecord, check: CheckId): Draft[] {
  return changesIn(ex, ctx, seen)
    .filter((c) => c.expected.from === 'refused' && c.expected.refusal === check)
    .map((c) => ({
      message: `a ${c.k.kind}'s ${c.field} changed after ${c.expected.by} was refused`,
      pointer: c.pointer,
      expected: { instance: c.k.id, [c.field]: c.expected.value },
      actual: c.got,
      rule: `a refused ${c.expected.by} changes nothing (${check})`,
      basis: 'spec',
    }));
}
