import { isSuccess } from './response-util';
import { defineCheck } from './types';
import { valueAt } from '../model/spec/pointer';

export default defineCheck({
  id: 'positive_data_acceptance',
  title: 'Valid input is accepted',
  severity: 'critical',
  restsOn: 'the spec: a request it describes as valid is accepted',
  judged: { everyAnswer: 'every request meant to be valid' },
  description: "A request that conforms to the spec, with a valid credential and live resources, gets a 2xx; so does one that breaks only a constraint no source states, where the target profile says the server does not enforce it (x-assumptions).",
  run(ex, ctx) {
    if (ex.intent.kind !== 'positive' || isSuccess(ex.response.status)) return;
    const reason = valueAt(ex.response.json, '/message');
    const found = { message: `valid request got ${ex.response.status}${reason ? ` (${reason})` : ''}, expected a 2xx`, expected: '2xx', actual: ex.response.status };
    // Valid only by the profile's answer to a question (a constraint it says is not enforced, a key it says works): that answer is the one broken.
    const q = ex.intent.assumption ?? ex.intent.validBy;
    if (q) return { ...found, message: `${found.message}: it is valid only by the target profile's answer to ${q} (${ctx.contracts.profile.accepted(q).join(' or ')})`, ...ctx.contracts.profile.cite(q) };
    return { ...found, rule: 'valid requests are accepted', basis: 'spec' };
  },
});
