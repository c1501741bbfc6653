import { citeInvariant } from '../model/contracts';
import { defineCheck } from './types';

export default defineCheck({
  id: 'contract_error_status_matches',
  title: 'ApiError.status equals the HTTP status',
  severity: 'normal',
  restsOn: 'invariant error_status_matches_http (a guess)',
  judged: { everyAnswer: 'every error answer' },
  description: "invariants.yaml error_status_matches_http: an error body's integer `status` (ApiError) equals the HTTP status. A RestErrResponse carries status text instead, and is not judged here.",
  run(ex, ctx) {
    if (ex.response.status < 400) return;
    const body = ex.response.json as Record<string, unknown> | undefined;
    // Non-JSON and non-object bodies are the content-type and schema checks' concern.
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    const cite = citeInvariant(ctx.contracts.invariants, 'error_status_matches_http');
    if (typeof body.status === 'number' && body.status !== ex.response.status) {
      return { message: `error body status ${body.status} differs from HTTP ${ex.response.status}`, expected: ex.response.status, actual: body.status, ...cite };
    }
  },
});
