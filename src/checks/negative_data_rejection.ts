import { documentedResponse, isClientError } from './response-util';
import { defineCheck } from './types';

export default defineCheck({
  id: 'negative_data_rejection',
  title: 'Invalid input is rejected',
  severity: 'critical',
  description: 'A request with exactly one invalid part (body, path, query or header) gets a documented 4xx: never a 2xx, never a 5xx.',
  run(ex) {
    if (ex.intent.kind !== 'negative') return;
    const { status } = ex.response;
    const what = `invalid ${ex.intent.location} (${ex.intent.violation})`;
    if (!isClientError(status)) return { message: `${what} got ${status}, expected a 4xx`, expected: '4xx', actual: status };
    if (!documentedResponse(ex)) return { message: `${what} got ${status}, which is not documented for ${ex.operation?.id}`, actual: status };
  },
});
