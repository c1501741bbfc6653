import { either, type Expected, expectedFromProfile } from './expect';
import { answersQuestion, documentedResponse } from './response-util';
import { type CheckContext, defineCheck } from './types';

/** What an invalid request must get: the profile's answer to the question the spec names for it, or any client error. */
function expectedFor(ctx: CheckContext, question: string | undefined): Expected | undefined {
  return question ? expectedFromProfile(ctx, 'negative_data_rejection', question) : undefined;
}

export default defineCheck({
  id: 'negative_data_rejection',
  title: 'Invalid input is rejected',
  severity: 'critical',
  restsOn: 'the spec\'s schemas and x-rejected-as: the profile\'s answer to the question naming the status of each kind of mistake',
  judged: { everyAnswer: 'every request meant to be invalid' },
  description:
    'A request with exactly one invalid part (body, path, query or header) is rejected with the status the target profile gives that kind of mistake (the spec names the question with `x-rejected-as`: validation_status, type_error_status, malformed_id_status...), and the status is documented: never a 2xx, never a 5xx.',
  run(ex, ctx) {
    if (ex.intent.kind !== 'negative') return;
    const { status } = ex.response;
    const what = `invalid ${ex.intent.location} (${ex.intent.violation})`;
    const expected = expectedFor(ctx, ex.intent.rejectedAs);
    const rule = { rule: expected?.cite.rule ?? `rejects invalid ${ex.intent.location}`, basis: expected?.cite.basis ?? ('spec' as const), note: expected?.cite.note };
    if (expected ? !expected.statuses.includes(status) : status < 400 || status >= 500) {
      const want = expected ? either(expected.statuses) : 'a 4xx';
      // Accepted outright, where the constraint is one the profile says the server enforces: that answer is the one broken.
      const cite = status < 300 && ex.intent.assumption ? ctx.contracts.profile.cite(ex.intent.assumption) : rule;
      return { message: `${what} got ${status}, expected ${want}`, expected: expected?.statuses ?? '4xx', actual: status, ...cite };
    }
    if (!documentedResponse(ex) && !answersQuestion(ex, ctx)) return { message: `${what} got ${status}, which is not documented for ${ex.operation?.id}`, actual: status, ...rule, rule: `undocumented status ${status}`, basis: 'spec' };
  },
});
