import { citeInvariant } from '../model/contracts';
import { defineCheck } from './types';

export default defineCheck({
  id: 'owner_org_first',
  title: 'The owner organization is listed first',
  severity: 'normal',
  restsOn: 'invariant owner_org_first',
  judged: { everyAnswer: 'every list of top-level instances answered to the partner (POLYTOMIC_OWNER_ORG_ID names the owner)', atMoment: 'that the owner is listed at all, by the scenario that knows to look' },
  description: "The partner's owner organization is element 0 of every organization list the run gets.",
  run(ex, ctx, seen) {
    if (!ex.operation || !seen.ownerId) return;
    const v = seen.view(ex);
    if (!v.ok || !v.mine || !v.answered?.list || v.answered.resource.within) return;
    const ids = v.items.map((i) => i.id);
    const at = ids.indexOf(seen.ownerId);
    if (at > 0) return { message: `the owner organization is not element 0 of the ${v.answered.resource.kind} list`, pointer: `/data/${at}`, expected: seen.ownerId, actual: ids[0], ...citeInvariant(ctx.contracts.invariants, 'owner_org_first') };
  },
});
