import { citeInvariant } from '../model/contracts';
import { changedAfterRefusal } from './refusals';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'cross_partner_access',
  title: "Partners cannot reach each other's data",
  severity: 'blocker',
  restsOn: "invariant tenant_scope, and the profile's answers to not_found_status and foreign_org_key_status",
  judged: {
    everyAnswer: "every answer to a request sent with another partner's key (or one built from it) that names or shows this partner's instances, and every later answer showing what such a refused write touched",
    atMoment: 'the status of each refusal, and that it is the same as for an id that names nothing, are judged by the scenario that sends both',
  },
  description: "Another partner's key, or its key scoped to this partner's organization, gets a refusal without data on every operation that names this partner's instances; they stay as they were.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const out: Draft[] = changedAfterRefusal(ex, ctx, seen, 'cross_partner_access');
    if (!v.foreign || !v.ok) return out;
    const cite = citeInvariant(ctx.contracts.invariants, 'tenant_scope');
    const scoped = seen.known(ex.request.as?.scope);
    const named = v.named.map((n) => seen.known(n.id)).find((k) => seen.isMine(k?.root));
    if (scoped && seen.isMine(scoped.root)) out.push({ message: `another partner's key scoped to this partner's ${scoped.kind} answered ${ex.response.status} to ${ex.operation.id}`, actual: { status: ex.response.status, scope: scoped.id }, ...cite });
    else if (named) out.push({ message: `another partner's key reached this partner's ${named.kind}: ${ex.operation.id} answered ${ex.response.status}`, actual: { status: ex.response.status, instance: named.id }, ...cite });
    // Top-level lists are org_list_isolation's.
    else if (!(v.answered?.list && !v.answered.resource.within)) {
      const shown = v.items.map((i) => seen.known(i.id)).filter((k) => seen.isMine(k?.root));
      if (shown.length) out.push({ message: `an answer to another partner's key holds this partner's ${[...new Set(shown.map((k) => `${k!.kind}s`))].join(', ')}`, actual: shown.map((k) => k!.id), ...cite });
    }
    return out;
  },
});
