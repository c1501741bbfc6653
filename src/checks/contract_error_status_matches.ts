import { defineCheck } from './types';

export default defineCheck({
  id: 'contract_error_status_matches',
  title: 'ApiError.status equals the HTTP status',
  severity: 'normal',
  description: 'contracts/invariants.yaml: every error body is an ApiError whose integer `status` equals the HTTP status.',
  run(ex, ctx) {
    if (!ctx.contracts.invariants.error_status_matches_http || ex.response.status < 400) return;
    const body = ex.response.json as Record<string, unknown> | undefined;
    // Non-JSON and non-object bodies are the content-type and schema checks' concern.
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    if (body.status === undefined) return { message: `error body has no status (HTTP ${ex.response.status})`, expected: ex.response.status };
    if (typeof body.status === 'number' && body.status !== ex.response.status) {
      return { message: `error body status ${body.status} differs from HTTP ${ex.response.status}`, expected: ex.response.status, actual: body.status };
    }
  },
});
