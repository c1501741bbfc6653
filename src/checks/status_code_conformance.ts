import { driftKey } from './drift/observe';
import { answersQuestion, documentedResponse } from './response-util';
import { defineCheck } from './types';

export default defineCheck({
  id: 'status_code_conformance',
  title: 'Status code is documented',
  severity: 'critical',
  restsOn: 'the spec: the statuses each operation documents, and the profile\'s answers to the question a request asks',
  judged: { everyAnswer: 'every answer' },
  description: "The response status is one the spec documents for the operation (generated clients map only those), or the target profile's answer to the question the request asks. The drift policy for undocumented_status decides whether it fails the run.",
  run(ex, ctx) {
    if (!ex.operation || documentedResponse(ex) || answersQuestion(ex, ctx) || ctx.config.drift.policy.undocumented_status !== 'fail') return;
    return {
      message: `status ${ex.response.status} is not documented for ${ex.operation.id} (${ex.operation.pointer}/responses)`,
      expected: [...ex.operation.responses.keys()],
      actual: ex.response.status,
      driftKey: driftKey(ex.operation.id, ex.response.status, 'undocumented_status', ''),
      rule: `undocumented status ${ex.response.status}`,
      basis: 'spec',
    };
  },
});
