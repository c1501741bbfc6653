import answers_in_scope from './answers_in_scope';
import answers_match_profile from './answers_match_profile';
import content_type_conformance from './content_type_conformance';
import contract_error_status_matches from './contract_error_status_matches';
import contract_ids_are_uuids from './contract_ids_are_uuids';
import contract_nullable_role_ids from './contract_nullable_role_ids';
import contract_required_fields from './contract_required_fields';
import contract_write_only_never_returned from './contract_write_only_never_returned';
import ignored_auth from './ignored_auth';
import max_response_time from './max_response_time';
import negative_data_rejection from './negative_data_rejection';
import not_a_server_error from './not_a_server_error';
import positive_data_acceptance from './positive_data_acceptance';
import response_headers_conformance from './response_headers_conformance';
import response_schema_conformance from './response_schema_conformance';
import spec_drift from './spec_drift';
import status_code_conformance from './status_code_conformance';
import { STATEFUL_CHECKS } from './stateful';
import type { Check, CheckContext, CheckInfo, Exchange, Finding } from './types';
import unknown_ids_not_found from './unknown_ids_not_found';
import unsupported_method from './unsupported_method';
import wrong_credential_kind from './wrong_credential_kind';
import { messageOf } from '../model/errors';

/** Checks that judge a single exchange. Each lives in `src/checks/<id>.ts`. */
export const EXCHANGE_CHECKS: readonly Check[] = [
  not_a_server_error,
  status_code_conformance,
  content_type_conformance,
  response_headers_conformance,
  response_schema_conformance,
  negative_data_rejection,
  unknown_ids_not_found,
  positive_data_acceptance,
  ignored_auth,
  wrong_credential_kind,
  unsupported_method,
  max_response_time,
  contract_required_fields,
  contract_nullable_role_ids,
  contract_ids_are_uuids,
  contract_write_only_never_returned,
  contract_error_status_matches,
  answers_match_profile,
  answers_in_scope,
  spec_drift,
];

const byId = new Map<string, CheckInfo>([...EXCHANGE_CHECKS, ...STATEFUL_CHECKS].map((c) => [c.id, c]));

/** Every check the suite has, exchange and stateful, by id. */
export const ALL_CHECKS: readonly CheckInfo[] = [...byId.values()];

export function getCheck(id: string): CheckInfo {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown check ${id}`);
  return c;
}

/** Is a check on for this operation? Configuration: `checks.<id>.enabled`, then `checks.<id>.operations.<operationId>`. */
export function checkEnabled(ctx: Pick<CheckContext, 'config'>, id: string, operation?: string): boolean {
  const c = ctx.config.checks[id];
  if (!c) return true;
  const perOp = operation === undefined ? undefined : c.operations?.[operation];
  return perOp ?? c.enabled ?? true;
}

/** Configuration that names a check the suite does not have is a mistake, not a silent no-op. */
export function unknownCheckIds(config: Pick<CheckContext['config'], 'checks'>): string[] {
  return Object.keys(config.checks).filter((id) => !byId.has(id));
}

/** Runs every enabled check on one exchange; a check that throws is itself reported, never swallowed. */
export function evaluate(ex: Exchange, ctx: CheckContext, checks: readonly Check[] = EXCHANGE_CHECKS): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    if (!checkEnabled(ctx, check.id, ex.operation?.id)) continue;
    let out: ReturnType<Check['run']>;
    try {
      out = check.run(ex, ctx);
    } catch (e) {
      out = { message: `check crashed: ${messageOf(e)}` };
    }
    for (const f of out === undefined ? [] : Array.isArray(out) ? out : [out]) findings.push({ check: check.id, ...f });
  }
  // Drift the baseline knows (and has not expired) is reported by the drift report, not failed.
  return findings.filter((f) => !f.driftKey || ctx.contracts.baseline.status(f.driftKey) !== 'known');
}
