import { either, expectedFromInvariant } from './expect';
import { defineCheck } from './types';

export default defineCheck({
  id: 'ignored_auth',
  title: 'Authentication is enforced',
  severity: 'blocker',
  restsOn: 'invariant unauthenticated (RFC 9110 section 15.5.2)',
  judged: { everyAnswer: 'every request sent without a valid credential' },
  description: 'A request with no credential, an unknown token or a revoked key gets 401 (invariants.yaml unauthenticated) and no data.',
  run(ex, ctx) {
    if (ex.intent.kind !== 'auth' || ex.intent.credential === 'wrong_kind') return;
    const expected = expectedFromInvariant(ctx, 'ignored_auth', 'unauthenticated', ctx.contracts.invariants.unauthenticated.status);
    if (expected.statuses.includes(ex.response.status)) return;
    return {
      message: `request with ${ex.intent.credential === 'none' ? 'no' : `an ${ex.intent.credential}`} credential got ${ex.response.status}, expected ${either(expected.statuses)}`,
      expected: expected.statuses,
      actual: ex.response.status,
      ...expected.cite,
    };
  },
});
