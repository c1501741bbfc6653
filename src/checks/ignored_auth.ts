import { defineCheck } from './types';

export default defineCheck({
  id: 'ignored_auth',
  title: 'Authentication is enforced',
  severity: 'blocker',
  description: 'A request with no credential, an unknown token or a revoked key gets 401 and no data.',
  run(ex) {
    if (ex.intent.kind !== 'auth' || ex.intent.credential === 'wrong_kind') return;
    if (ex.response.status === 401) return;
    return {
      message: `request with ${ex.intent.credential === 'none' ? 'no' : `an ${ex.intent.credential}`} credential got ${ex.response.status}, expected 401`,
      expected: 401,
      actual: ex.response.status,
    };
  },
});
