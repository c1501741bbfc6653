import { isReadonly } from '../model/spec/resources';
import { isAnswer } from './compare';
import { expectedFromProfile } from './expect';
import { changedAfterRefusal } from './refusals';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'readonly_instances_protected',
  title: 'Built-in roles and policies stay as they are',
  severity: 'critical',
  restsOn: "the spec's x-resources readonly and the profile's answers to what changing a built-in gets (system_role_update_status, ...) and which are built in (builtin_roles)",
  judged: { everyAnswer: 'every update and delete of a built-in instance, every later answer showing it, and every list of a place the run made' },
  description:
    "Every organization the run makes lists the built-in roles the profile names; updating or deleting a built-in role or policy gets the profile's answer, and a refused change leaves it as it was.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const r = v.resource;
    const out: Draft[] = changedAfterRefusal(ex, ctx, seen, 'readonly_instances_protected');
    const ro = r?.readonly;
    if (!ro || !v.mine) return out;
    const { profile } = ctx.contracts;
    const intent = ex.intent.kind;
    const self = v.self && seen.known(v.self.id);
    if (self?.readonly && (v.role === 'update' || v.role === 'delete') && (intent === 'positive' || intent === 'probe') && isAnswer(ex.response.status)) {
      const question = v.role === 'update' ? ro.updateRejectedAs : ro.deleteRejectedAs;
      const answer = v.ok ? 'allowed' : ex.response.status;
      if (!profile.accepts(question, answer)) {
        out.push({ message: `${v.role === 'update' ? 'updating' : 'deleting'} a built-in ${self.kind} got ${ex.response.status} (the target answers ${question} with ${profile.accepted(question).join(' or ')})`, expected: profile.accepted(question), actual: { answer, instance: self.id }, ...profile.cite(question) });
      }
    }
    if (self?.readonly && v.role === 'read' && v.fair && self.deletedAt === undefined && !v.ok && expectedFromProfile(ctx, 'readonly_instances_protected', 'not_found_status').statuses.includes(ex.response.status)) {
      out.push({ message: `a built-in ${self.kind} is gone: ${ex.operation.id} answers ${ex.response.status}, and no delete of it was accepted`, actual: { status: ex.response.status, instance: self.id }, rule: `built-in ${self.kind} stays`, basis: 'spec' });
    }
    const container = v.role === 'list' && v.ok && r?.within ? seen.containerOf(ex, r) : undefined;
    const home = seen.known(container);
    const key = `${r!.kind} ${container}`;
    if (ro.namesAnsweredBy && home?.made && !seen.builtInsJudged.has(key)) {
      seen.builtInsJudged.add(key);
      const names = v.items.filter((x) => isReadonly(r!, x)).map((x) => String(x[r!.marker])).sort((a, b) => a.localeCompare(b));
      const answer = names.join(', ') || 'none';
      if (!profile.accepts(ro.namesAnsweredBy, answer)) {
        out.push({ message: `a new ${home.kind} lists the built-in ${r!.kind}s ${names.join(', ') || '(none)'} (the target answers ${ro.namesAnsweredBy} with ${profile.accepted(ro.namesAnsweredBy).join(' or ')})`, expected: profile.accepted(ro.namesAnsweredBy), actual: answer, ...profile.cite(ro.namesAnsweredBy) });
      }
    }
    return out;
  },
});
