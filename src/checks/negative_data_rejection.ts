import { documentedResponse } from './response-util';
import { defineCheck } from './types';

export default defineCheck({
  id: 'negative_data_rejection',
  title: 'Invalid input is rejected',
  severity: 'critical',
  description:
    'A request with exactly one invalid part (body, path, query or header) gets the status contracts/choices.yaml names for that kind of mistake (validation_status for a body that breaks a rule; malformed_request_status for malformed JSON, ids and headers; unsupported_version_status for an unknown version), and it is documented: never a 2xx, never a 5xx.',
  run(ex, ctx) {
    if (ex.intent.kind !== 'negative') return;
    const { status } = ex.response;
    const what = `invalid ${ex.intent.location} (${ex.intent.violation})`;
    const expected = ctx.contracts.choices[ex.intent.rejectedAs];
    if (status !== expected) return { message: `${what} got ${status}, expected ${expected} (choices.yaml ${ex.intent.rejectedAs})`, expected, actual: status };
    if (!documentedResponse(ex)) return { message: `${what} got ${status}, which is not documented for ${ex.operation?.id}`, actual: status };
  },
});
