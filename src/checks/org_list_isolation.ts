import { citeInvariant } from '../model/contracts';
import { defineCheck } from './types';

export default defineCheck({
  id: 'org_list_isolation',
  title: "Organization lists hold only the partner's own",
  severity: 'blocker',
  restsOn: 'invariant tenant_scope',
  judged: { everyAnswer: "every list of top-level instances, once the run has seen whose each is (it needs a second partner's key to know any of the other's)" },
  description: "No organization of another partner ever appears in a partner's list, either way round.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    if (!v.ok || !v.answered?.list || v.answered.resource.within || (!v.mine && !v.foreign)) return;
    // The other tenant's: the run's keys are one tenant (a partner key and its deployment's key), the foreign key another.
    const strangers = v.items.map((i) => seen.known(i.id)).filter((k) => k && (v.mine ? k.root === seen.theirs : seen.isMine(k.root))).map((k) => k!.id);
    if (!strangers.length) return;
    const kind = v.answered.resource.kind;
    return { message: `${v.mine ? "another partner's" : "this partner's"} ${kind}s in a list answered to ${v.mine ? 'this partner' : 'another partner'}`, actual: strangers, ...citeInvariant(ctx.contracts.invariants, 'tenant_scope') };
  },
});
