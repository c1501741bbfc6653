import { citeInvariant, type InvariantId } from '../model/contracts';
import { valuesAt } from '../model/spec/fields';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'reference_after_delete',
  title: 'References to a deleted role are as agreed',
  severity: 'normal',
  restsOn: "the spec's x-after-delete: invariant stale_role_ids_kept, and the profile's answer to role_delete_effect_on_users",
  judged: {
    everyAnswer: 'the first answer showing an instance after something it named was deleted, in whichever test of the worker',
    atMoment: 'a delete refused because the role is still held (the `refused` answer) is judged by the scenario that sends it: a refusal alone does not say why',
  },
  description:
    "After a role is deleted, policies still name it (invariants.yaml stale_role_ids_kept) and its users hold it or not as the profile says (role_delete_effect_on_users).",
  run(ex, ctx, seen) {
    if (!ex.operation || ex.request.method !== 'GET') return;
    const v = seen.view(ex);
    if (!v.ok) return;
    const out: Draft[] = [];
    const { profile } = ctx.contracts;
    v.items.forEach((item, i) => {
      const k = seen.known(item.id);
      for (const o of k?.orphans ?? []) {
        if (o.at >= v.sent || (v.answered?.list && !(o.path[0] in item))) continue;
        const kept = valuesAt(item, o.path).includes(o.id);
        const where = `a ${k!.kind}'s ${o.path.filter((p) => p !== '*').join('.')}`;
        const at = { pointer: `/data${v.answered?.list ? `/${i}` : ''}/${o.path[0]}`, actual: { instance: k!.id, [o.path[0]]: item[o.path[0]], deleted: o.id } };
        if (o.question) {
          const answer = kept ? 'kept' : 'removed';
          if (!profile.accepts(o.question, answer)) out.push({ ...at, message: `after a ${o.kind} was deleted, ${where} ${kept ? 'still names it' : 'no longer names it'} (the target answers ${o.question} with ${profile.accepted(o.question).join(' or ')})`, expected: profile.accepted(o.question), ...profile.cite(o.question) });
        } else if (o.invariant && !kept) {
          out.push({ ...at, message: `after a ${o.kind} was deleted, ${where} no longer names it`, expected: o.id, ...citeInvariant(ctx.contracts.invariants, o.invariant as InvariantId) });
        }
      }
    });
    return out;
  },
});
