import { either, expectedFromProfile } from './expect';
import { defineCheck } from './types';

export default defineCheck({
  id: 'unsupported_method',
  title: 'Undeclared methods are refused',
  severity: 'normal',
  restsOn: 'RFC 9110 section 15.5.6 and the profile\'s answer to undeclared_method_status',
  judged: { everyAnswer: 'every request with a method its path does not declare' },
  description:
    "A method the path does not declare gets the target profile's undeclared_method_status; a 405 carries Allow (RFC 9110 section 15.5.6). PATCH on an update route may be routed to the update where the profile's patch_on_update accepts it.",
  run(ex, ctx) {
    if (ex.intent.kind !== 'method_probe') return;
    const { profile } = ctx.contracts;
    const { status } = ex.response;
    if (ex.request.method === 'PATCH' && status >= 200 && status < 300 && profile.accepts('patch_on_update', 'accepted')) return;
    const expected = expectedFromProfile(ctx, 'unsupported_method', 'undeclared_method_status');
    if (!expected.statuses.includes(status)) {
      const cite = status < 300 && ex.request.method === 'PATCH' ? profile.cite('patch_on_update') : expected.cite;
      return { message: `${ex.request.method} ${ex.request.path} got ${status}, expected ${either(expected.statuses)}`, expected: expected.statuses, actual: status, ...cite };
    }
    if (status === 405 && !ex.response.headers.allow) {
      return { message: '405 without an Allow header', rule: 'http 405 Allow', basis: 'source', note: 'RFC 9110 section 15.5.6: a 405 must carry Allow' };
    }
  },
});
