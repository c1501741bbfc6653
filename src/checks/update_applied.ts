import { citeInvariant, type InvariantId } from '../model/contracts';
import { changesIn } from './changes';
import { GRACE_OPTION } from './expect';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'update_applied',
  title: 'Updates are applied, whole, and to their target only',
  severity: 'critical',
  restsOn: 'the spec (an update answered with a 2xx is applied), invariants update_replaces_whole and update_user_email, and RFC 9110 section 9.3.4 (a write acts on its target only)',
  judged: { everyAnswer: 'every read and list of an instance the run updated or saw, in whichever test of the worker' },
  description:
    'After a successful update every later read and list shows what it sent (lists compared as sets, strings without case); where an update replaces an instance whole, what it left out is gone; a field the spec says an update ignores keeps its value; an instance no write touched shows what it showed before, and so does one whose write was refused.',
  options: GRACE_OPTION,
  run(ex, ctx, seen) {
    const out: Draft[] = [];
    for (const c of changesIn(ex, ctx, seen)) {
      const e = c.expected;
      if (e.from === 'refused' && e.refusal !== 'update_applied') continue;
      const at = { pointer: c.pointer, expected: { instance: c.k.id, [c.field]: e.value }, actual: c.got };
      const cite = e.invariant ? citeInvariant(ctx.contracts.invariants, e.invariant as InvariantId) : undefined;
      if (e.from === 'update' && cite) out.push({ ...at, message: `a ${c.k.kind} kept its ${c.field} after ${e.by} left it out: merged, not replaced`, ...cite });
      else if (e.from === 'update') out.push({ ...at, message: `${e.by} is not reflected by a later answer: its ${c.field} is not what it sent`, rule: `${e.by} applies ${c.field}`, basis: 'spec' });
      else if (e.from === 'kept') out.push({ ...at, message: `${e.by} changed the ${c.field} of a ${c.k.kind}, which it ignores`, ...cite! });
      else if (e.from === 'refused') out.push({ ...at, message: `a ${c.k.kind}'s ${c.field} changed after ${e.by} was refused`, rule: `a refused ${e.by} changes nothing`, basis: 'spec' });
      else out.push({ ...at, message: `a ${c.k.kind}'s ${c.field} changed with no write to it`, rule: `${c.k.kind} changes only when written`, basis: 'source', note: 'RFC 9110 section 9.3.4: a write acts on its target only' });
    }
    return out;
  },
});
