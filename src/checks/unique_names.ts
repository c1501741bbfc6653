import { isAnswer, same } from './compare';
import { defineCheck } from './types';

export default defineCheck({
  id: 'unique_names',
  title: 'Duplicate names and emails get the agreed answer',
  severity: 'normal',
  restsOn: "the profile's answer to the question the resource names (duplicate_org_name_status, duplicate_user_email, duplicate_permission_name)",
  judged: { everyAnswer: 'every create naming an instance as one the run knows in the same place (scenarios send one on purpose)' },
  description:
    "Creating an instance with the name or email of one already there gets the target profile's answer: refused with its status, the one there answered (`existing`), or a second one made (`allowed`).",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const r = v.resource;
    // Only creates meant to be made: a request with its own mistake is refused for that.
    const meant = ex.intent.kind === 'positive' || ex.intent.kind === 'probe';
    if (v.role !== 'create' || !r?.duplicateAnsweredBy || !v.mine || v.repeatsKey || !meant || !isAnswer(ex.response.status)) return;
    const name = (ex.request.body as Record<string, unknown> | undefined)?.[r.marker];
    if (typeof name !== 'string') return;
    const container = r.within ? seen.containerOf(ex, r) : undefined;
    for (const twin of seen.inside(r.kind, container)) {
      const current = twin.expect.get(r.marker)?.value ?? twin.made?.value;
      if (twin.deletedAt !== undefined || twin.made === undefined || twin.made.at >= v.sent || !same(current, name)) continue;
      const made = v.items[0]?.id;
      const answer = v.ok ? (made === twin.id ? 'existing' : 'allowed') : ex.response.status;
      const { profile } = ctx.contracts;
      if (profile.accepts(r.duplicateAnsweredBy, answer)) return;
      return {
        message: `a second ${r.kind} with the ${r.marker} of one there got ${ex.response.status}${v.ok ? (made === twin.id ? ', the one there' : ', a new one') : ''} (the target answers ${r.duplicateAnsweredBy} with ${profile.accepted(r.duplicateAnsweredBy).join(' or ')})`,
        expected: profile.accepted(r.duplicateAnsweredBy),
        actual: { answer, name, there: twin.id },
        ...profile.cite(r.duplicateAnsweredBy),
      };
    }
  },
});
