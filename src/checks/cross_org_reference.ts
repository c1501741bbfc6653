import { changedAfterRefusal } from './refusals';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'cross_org_reference',
  title: "Only the organization's own roles can be named",
  severity: 'blocker',
  restsOn: "invariant tenant_scope, and the profile's answer to the question each reference names (unknown_role_status, policy_unknown_role_status)",
  judged: {
    everyAnswer: "every write whose body names an instance the run knows is deleted or lives elsewhere, and every later answer showing what such a refused write touched",
    atMoment: 'an id that names nothing at all is sent on purpose by a scenario (no answer can tell the run that an id it never saw names nothing), and the status of each refusal is judged there',
  },
  description:
    "A user's role_ids or a policy's bindings naming a role of another organization, a deleted one, or none, are refused with the profile's status, and change nothing.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const out: Draft[] = changedAfterRefusal(ex, ctx, seen, 'cross_org_reference');
    if (!v.ok || !v.mine || ex.request.method === 'GET') return out;
    const { profile } = ctx.contracts;
    for (const ref of seen.referencesElsewhere(ex, v)) {
      const what = ref.why === 'deleted' ? `a deleted ${ref.kind}` : `a ${ref.kind} of another organization`;
      out.push({ message: `${ex.operation.id} naming ${what} at ${ref.path.join('.')} was accepted with ${ex.response.status} (the target answers ${ref.question} with ${profile.accepted(ref.question).join(' or ')})`, expected: profile.accepted(ref.question), actual: { status: ex.response.status, named: ref.id, where: ref.where }, ...profile.cite(ref.question) });
    }
    return out;
  },
});
