import { citeInvariant } from '../model/contracts';
import { resourcesOf } from '../model/spec/resources';
import { changedAfterRefusal } from './refusals';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'cross_org_access',
  title: 'Users, roles and policies are reached only through their organization',
  severity: 'blocker',
  restsOn: "invariants tenant_scope and existence_not_revealed, and the profile's answer to not_found_status",
  judged: {
    everyAnswer: "every request naming an instance through another organization's path or key than its own, and every later answer showing what such a refused write touched",
    atMoment: 'that the refusal is the not-found answer, and the same as for an id that names nothing, is judged by the scenario that sends both',
  },
  description: "An instance of organization B, addressed under organization A or with A's credential, gets the not-found answer (the same as an id that names nothing), is never listed for A, and stays untouched.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const out: Draft[] = changedAfterRefusal(ex, ctx, seen, 'cross_org_access');
    if (!v.ok || !v.mine || !v.self) return out;
    const k = seen.known(v.self.id);
    const resource = k && resourcesOf(ctx.spec).byKind.get(k.kind);
    const via = resource ? seen.containerOf(ex, resource) : undefined;
    if (k?.home && via && via !== k.home) {
      out.push({ message: `a ${k.kind} of another ${resource!.within!.kind} was reached: ${ex.operation.id} answered ${ex.response.status}`, expected: { instance: k.id, home: k.home }, actual: { through: via, status: ex.response.status }, ...citeInvariant(ctx.contracts.invariants, 'tenant_scope') });
    }
    return out;
  },
});
