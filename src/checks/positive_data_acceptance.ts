import { isSuccess } from './response-util';
import { defineCheck } from './types';
import { valueAt } from '../model/spec/pointer';

export default defineCheck({
  id: 'positive_data_acceptance',
  title: 'Valid input is accepted',
  severity: 'critical',
  description: 'A request that conforms to the spec, with a valid credential and live resources, gets a 2xx.',
  run(ex) {
    if (ex.intent.kind !== 'positive' || isSuccess(ex.response.status)) return;
    const reason = valueAt(ex.response.json, '/message');
    return {
      message: `valid request got ${ex.response.status}${reason ? ` (${reason})` : ''}, expected a 2xx`,
      expected: '2xx',
      actual: ex.response.status,
      rule: `${ex.operation?.id} accepts valid requests`,
      basis: 'spec',
    };
  },
});
