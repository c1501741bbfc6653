import { either } from './expect';
import { documentedResponse } from './response-util';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'answers_match_profile',
  title: 'Open questions are answered as the target profile says',
  severity: 'normal',
  restsOn: 'the profile\'s answers to the questions the spec marks with x-question',
  judged: { everyAnswer: 'every answer the spec marks' },
  description:
    "Where the spec marks a response or header with `x-question`, what the server did answers an open question (the status of an organization delete, the shape of a 401 body, whether a 429 carries Retry-After); the answer must be one the target profile accepts.",
  run(ex, ctx) {
    const doc = ex.operation ? documentedResponse(ex) : undefined;
    if (!doc) return;
    const { profile } = ctx.contracts;
    const out: Omit<Finding, 'check'>[] = [];
    const q = doc.question;
    if (q?.answer !== undefined && !profile.accepts(q.id, q.answer)) {
      out.push({ message: `${ex.operation!.id} answered ${ex.response.status}, but the target answers ${q.id} with ${either(profile.statuses(q.id))}`, expected: profile.accepted(q.id), actual: q.answer, ...profile.cite(q.id) });
    }
    if (q?.bySchema && ex.response.json !== undefined) {
      const matches = Object.entries(q.bySchema).filter(([, pointer]) => ctx.validators.at(pointer)(ex.response.json)).map(([answer]) => answer);
      if (!matches.some((m) => profile.accepts(q.id, m))) {
        out.push({ message: `${ex.response.status} body is ${matches.join(' or ') || 'none of the known shapes'}, but the target answers ${q.id} with ${profile.accepted(q.id).join(' or ')}`, expected: profile.accepted(q.id), actual: ex.response.json, ...profile.cite(q.id) });
      }
    }
    for (const h of doc.headers) {
      const hq = h.question;
      if (!hq || hq.absent === undefined || ex.response.headers[h.name.toLowerCase()] !== undefined) continue;
      if (!profile.accepts(hq.id, hq.absent)) out.push({ message: `${h.name} missing on ${ex.response.status}, but the target answers ${hq.id} with ${profile.accepted(hq.id).join(' or ')}`, ...profile.cite(hq.id) });
    }
    return out;
  },
});
