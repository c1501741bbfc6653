import { defineCheck } from './types';

export default defineCheck({
  id: 'wrong_credential_kind',
  title: 'Credential kind is enforced',
  severity: 'blocker',
  description:
    'A valid key of the wrong kind (a user key on partner routes, a partner key on current-org routes) gets 403 and no data.',
  run(ex, ctx) {
    if (ex.intent.kind !== 'auth' || ex.intent.credential !== 'wrong_kind') return;
    const expected = ctx.contracts.choices.credential_kind_mismatch_status;
    if (ex.response.status === expected) return;
    return { message: `a key of the wrong kind got ${ex.response.status}, expected ${expected}`, expected, actual: ex.response.status };
  },
});
