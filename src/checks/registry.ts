import answers_in_scope from './answers_in_scope';
import answers_match_profile from './answers_match_profile';
import container_limit from './container_limit';
import content_type_conformance from './content_type_conformance';
import contract_error_status_matches from './contract_error_status_matches';
import contract_ids_are_uuids from './contract_ids_are_uuids';
import contract_nullable_role_ids from './contract_nullable_role_ids';
import contract_required_fields from './contract_required_fields';
import contract_write_only_never_returned from './contract_write_only_never_returned';
import cross_org_access from './cross_org_access';
import cross_org_reference from './cross_org_reference';
import cross_partner_access from './cross_partner_access';
import ensure_resource_availability from './ensure_resource_availability';
import { checkEnabled } from './gate';
import { CHECK_IDS, type CheckId, isCheckId } from './ids';
import identity_names_caller from './identity_names_caller';
import idempotent_replay from './idempotent_replay';
import ignored_auth from './ignored_auth';
import mass_assignment from './mass_assignment';
import max_response_time from './max_response_time';
import model_conformance from './model_conformance';
import negative_data_rejection from './negative_data_rejection';
import not_a_server_error from './not_a_server_error';
import org_list_isolation from './org_list_isolation';
import owner_org_first from './owner_org_first';
import owner_org_protected from './owner_org_protected';
import positive_data_acceptance from './positive_data_acceptance';
import readonly_instances_protected from './readonly_instances_protected';
import type { RunRecord } from './record';
import reference_after_delete from './reference_after_delete';
import response_headers_conformance from './response_headers_conformance';
import response_schema_conformance from './response_schema_conformance';
import revoked_key_rejected from './revoked_key_rejected';
import spec_drift from './spec_drift';
import status_code_conformance from './status_code_conformance';
import type { Check, CheckContext, CheckInfo, Exchange, Finding } from './types';
import unique_in_container from './unique_in_container';
import unique_names from './unique_names';
import unknown_ids_not_found from './unknown_ids_not_found';
import unsupported_method from './unsupported_method';
import update_applied from './update_applied';
import use_after_free from './use_after_free';
import version_negotiation from './version_negotiation';
import wrong_credential_kind from './wrong_credential_kind';
import { messageOf } from '../model/errors';
import { didYouMean } from '../model/text';

export { checkEnabled, expectRule } from './gate';

/** Checks that judge one exchange by itself. */
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

/** Checks that judge an answer against what the run did and saw before it (the run record), and rules only a scenario's moment shows. */
export const STATEFUL_CHECKS: readonly Check[] = [
  ensure_resource_availability,
  use_after_free,
  update_applied,
  unique_names,
  unique_in_container,
  container_limit,
  readonly_instances_protected,
  cross_org_reference,
  reference_after_delete,
  owner_org_first,
  owner_org_protected,
  revoked_key_rejected,
  idempotent_replay,
  cross_partner_access,
  org_list_isolation,
  cross_org_access,
  mass_assignment,
  version_negotiation,
  identity_names_caller,
  model_conformance,
];

/**
 * Which rule an answer that breaks several is reported under: the most basic it breaks (the
 * server failed; the answer is not the format; not a documented status; not the schema; ...),
 * the others listed under it. One cause, one defect.
 */
export const BASIC_FIRST: readonly CheckId[] = [
  'not_a_server_error',
  'content_type_conformance',
  'status_code_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'contract_required_fields',
  'contract_nullable_role_ids',
  'contract_ids_are_uuids',
  'contract_write_only_never_returned',
  'contract_error_status_matches',
  'answers_match_profile',
  'spec_drift',
  'ignored_auth',
  'wrong_credential_kind',
  'unsupported_method',
  'unknown_ids_not_found',
  'negative_data_rejection',
  'positive_data_acceptance',
  'answers_in_scope',
  ...STATEFUL_CHECKS.map((c) => c.id),
  'max_response_time',
];

/** Every check, exchange and stateful, in one registry. */
export const ALL_CHECKS: readonly Check[] = [...EXCHANGE_CHECKS, ...STATEFUL_CHECKS];

const byId = new Map<string, Check>(ALL_CHECKS.map((c) => [c.id, c]));
const judging = ALL_CHECKS.filter((c) => c.run);

// Every id has exactly one definition, and a place in the order of what is most basic.
if (BASIC_FIRST.length !== CHECK_IDS.length || CHECK_IDS.some((id) => !BASIC_FIRST.includes(id))) throw new Error('BASIC_FIRST must order every check');
for (const id of CHECK_IDS) if (!byId.has(id)) throw new Error(`check ${id} has no definition in the registry`);
if (byId.size !== ALL_CHECKS.length) throw new Error('two checks share an id');

export function getCheck(id: CheckId): CheckInfo {
  return byId.get(id)!;
}

/**
 * What in the configuration names a check the suite does not have, or an option a check does not
 * take: one line each, with what was probably meant.
 */
export function configMistakes(config: Pick<CheckContext['config'], 'checks'>): string[] {
  const out: string[] = [];
  for (const [id, c] of Object.entries(config.checks)) {
    if (!isCheckId(id)) {
      out.push(`checks.${id} is not a check of the suite${didYouMean(id, [...CHECK_IDS])}`);
      continue;
    }
    const declared = byId.get(id)!.options ?? {};
    for (const [name, value] of Object.entries(c.options ?? {})) {
      const spec = declared[name];
      if (!spec) out.push(`checks.${id}.options.${name} is not an option of ${id}${Object.keys(declared).length ? didYouMean(name, Object.keys(declared)) : ' (it takes none)'}`);
      else if (spec.type === 'integer' ? !Number.isInteger(value) || (spec.minimum !== undefined && (value as number) < spec.minimum) : typeof value !== 'boolean') {
        out.push(`checks.${id}.options.${name} must be ${spec.type === 'integer' ? `a whole number${spec.minimum !== undefined ? ` >= ${spec.minimum}` : ''}` : 'true or false'}`);
      }
    }
  }
  return out;
}

/**
 * The one gate every finding passes: each check that is on (for the run and the operation) judges
 * the exchange, with what the run did and saw before it; a check that throws is itself reported,
 * never swallowed; known drift is left to the drift report.
 */
export function evaluate(ex: Exchange, ctx: CheckContext, seen: RunRecord, checks: readonly Check[] = judging): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    if (!check.run || !checkEnabled(ctx, check.id, ex.operation?.id)) continue;
    let out: ReturnType<NonNullable<Check['run']>>;
    try {
      out = check.run(ex, ctx, seen);
    } catch (e) {
      out = { message: `check crashed: ${messageOf(e)}` };
    }
    for (const f of out === undefined ? [] : Array.isArray(out) ? out : [out]) findings.push({ check: check.id, ...f });
  }
  // Drift the baseline knows (and has not expired) is reported by the drift report, not failed.
  return findings.filter((f) => !f.driftKey || ctx.contracts.baseline.status(f.driftKey) !== 'known');
}
