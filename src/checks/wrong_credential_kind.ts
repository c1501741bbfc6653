import { either, expectedFromProfile } from './expect';
import { defineCheck } from './types';

export default defineCheck({
  id: 'wrong_credential_kind',
  title: 'Credential kind is enforced',
  severity: 'blocker',
  restsOn: 'the spec\'s security requirements and the profile\'s answer to wrong_credential_kind_status',
  judged: { everyAnswer: 'every request sent with a key of the wrong kind' },
  description:
    "A valid key of the wrong kind (a user key on partner routes, a partner key on current-org routes) is refused with the target profile's wrong_credential_kind_status, and gets no data.",
  run(ex, ctx) {
    if (ex.intent.kind !== 'auth' || ex.intent.credential !== 'wrong_kind') return;
    const expected = expectedFromProfile(ctx, 'wrong_credential_kind', 'wrong_credential_kind_status');
    if (expected.statuses.includes(ex.response.status)) return;
    return { message: `a key of the wrong kind got ${ex.response.status}, expected ${either(expected.statuses)}`, expected: expected.statuses, actual: ex.response.status, ...expected.cite };
  },
});
