import { UserError } from '../src/errors';

export interface Fault {
  name: string;
  description: string;
  /** The check id expected to catch it. */
  catches: string;
  category: 'shape' | 'format' | 'secrets' | 'errors' | 'status' | 'headers' | 'auth' | 'tenancy' | 'validation' | 'state' | 'idempotency' | 'robustness' | 'latency' | 'drift';
}

const f = (category: Fault['category'], name: string, catches: string, description: string): Fault => ({ name, description, catches, category });

/**
 * Every way the mock can be told to break one rule of the API. Each fault breaks exactly that
 * rule and nothing else; `npm run selfcheck` runs the suite against each of them.
 */
export const FAULTS: readonly Fault[] = [
  f('shape', 'user_email_number', 'response_schema_conformance', 'User.email is rendered as a number'),
  f('shape', 'user_missing_organization_id', 'contract_required_fields', 'User.organization_id is left out'),
  f('shape', 'org_missing_name', 'contract_required_fields', 'Organization.name is left out'),
  f('shape', 'role_ids_omitted_when_null', 'contract_nullable_role_ids', 'User.role_ids is dropped when null instead of being null'),
  f('shape', 'role_ids_empty_string', 'response_schema_conformance', 'a null User.role_ids is rendered as ""'),
  f('shape', 'list_users_data_object', 'response_schema_conformance', 'user lists put an object in `data`'),
  f('shape', 'envelope_missing', 'contract_required_fields', 'GET organization returns the organization without its {data} envelope'),
  f('shape', 'api_key_missing_value', 'contract_required_fields', 'a new API key comes back as {data:{}}'),
  f('format', 'org_id_not_uuid', 'contract_ids_are_uuids', 'organization ids are rendered as org_<n> (and accepted back)'),
  f('format', 'role_id_item_not_uuid', 'response_schema_conformance', 'role_ids items are rendered as role names'),
  f('secrets', 'org_returns_client_secret', 'contract_write_only_never_returned', 'organizations are rendered with their client_secret'),
  f('errors', 'error_status_mismatch', 'contract_error_status_matches', 'ApiError.status differs from the HTTP status'),
  f('errors', 'error_status_string', 'response_schema_conformance', 'ApiError.status is the status text'),
  f('errors', 'rest_err_401', 'response_schema_conformance', '401 bodies are the old RestErrResponse'),
  f('errors', 'text_plain_errors', 'content_type_conformance', '4xx bodies are text/plain'),
  f('errors', 'html_content_type_on_success', 'content_type_conformance', 'GET organization answers 200 with Content-Type text/html'),
  f('status', 'create_returns_201', 'status_code_conformance', 'creates answer 201'),
  f('status', 'org_delete_returns_200', 'status_code_conformance', 'organization delete answers 200 {}'),
  f('status', 'server_error_on_plus_email', 'not_a_server_error', "creating a user whose email's local part has a + answers 500"),
  f('status', 'unknown_user_500', 'not_a_server_error', 'an unknown user id answers 500'),
  f('robustness', 'crash_on_invalid_json', 'not_a_server_error', 'a malformed JSON body answers 500'),
  f('headers', 'missing_version_header', 'response_headers_conformance', 'responses carry no X-Polytomic-Version'),
  f('headers', 'version_header_ignores_request', 'response_headers_conformance', 'X-Polytomic-Version always names the default version'),
  f('headers', 'rate_limit_without_retry_after', 'response_headers_conformance', '429 answers carry no Retry-After'),
  f('auth', 'no_auth_required', 'ignored_auth', 'a request without credentials acts as the main partner'),
  f('auth', 'unknown_token_accepted', 'ignored_auth', 'an unknown bearer token acts as the main partner'),
  f('auth', 'user_key_on_partner_routes', 'wrong_credential_kind', "a user key works on partner routes as its organization's partner"),
  f('auth', 'partner_key_on_current_org', 'wrong_credential_kind', 'a partner key works on current-org routes for its owner organization'),
  f('auth', 'revoked_key_accepted', 'revoked_key_rejected', 'force=true does not revoke earlier keys'),
  f('auth', 'basic_org_key_rejected', 'positive_data_acceptance', 'the organization-scoped Basic key gets 401'),
  f('tenancy', 'foreign_partner_reads_orgs', 'cross_partner_access', "any partner can read and change any partner's organizations and users"),
  f('tenancy', 'org_list_includes_foreign', 'org_list_isolation', "organization lists include other partners' organizations"),
  f('tenancy', 'cross_org_user_lookup', 'cross_org_user_access', '/organizations/{A}/users/{id} finds users of any organization'),
  f('tenancy', 'current_org_sees_all_users', 'current_org_scope', "current-org user lists include every organization's users"),
  f('tenancy', 'mass_assignment_org_id', 'mass_assignment', 'organization_id in a create body moves the user there'),
  f('tenancy', 'owner_org_deletable', 'owner_org_protected', 'the owner organization can be deleted'),
  f('tenancy', 'owner_org_not_first', 'owner_org_first', 'the owner organization is listed last'),
  f('validation', 'accepts_empty_role_ids', 'negative_data_rejection', 'an empty role_ids is accepted'),
  f('validation', 'accepts_role_and_role_ids', 'negative_data_rejection', 'role together with role_ids is accepted'),
  f('validation', 'accepts_missing_email', 'negative_data_rejection', 'a user body without email is accepted'),
  f('validation', 'accepts_non_uuid_role_id', 'negative_data_rejection', 'a role_ids item that is not a uuid is accepted'),
  f('validation', 'idempotency_key_unchecked', 'negative_data_rejection', 'a malformed Idempotency-Key is accepted'),
  f('validation', 'rejects_legacy_role', 'positive_data_acceptance', 'a valid legacy role gets 422'),
  f('validation', 'duplicate_org_name_allowed', 'unique_org_name', 'two organizations of a partner may share a name'),
  f('state', 'delete_is_soft', 'use_after_free', 'deleted users and organizations stay readable and listed'),
  f('state', 'create_not_persisted', 'ensure_resource_availability', 'users created on the current-org route are answered but not stored'),
  f('state', 'update_ignored', 'update_applied', 'user role updates are answered but not stored'),
  f('state', 'sso_merged_on_update', 'update_applied', 'organization updates merge SSO settings instead of replacing them'),
  f('idempotency', 'idempotency_not_replayed', 'idempotent_replay', 'a repeated Idempotency-Key runs the request again'),
  f('idempotency', 'idempotency_in_flight_processed', 'idempotent_replay', 'a duplicate arriving while the first is in flight runs too'),
  f('latency', 'slow_list_orgs', 'max_response_time', 'GET /api/organizations waits faultDelayMs'),
  f('robustness', 'patch_update_allowed', 'unsupported_method', 'PATCH works like PUT on the update routes'),
  f('robustness', 'undeclared_method_500', 'not_a_server_error', 'undeclared methods answer 500'),
  f('drift', 'undocumented_field', 'spec_drift', 'users carry an undeclared `name` field'),
];

export const FAULT_NAMES = new Set(FAULTS.map((x) => x.name));

export function listFaults(): readonly Fault[] {
  return FAULTS;
}

/** Checks fault names; an unknown one is a user mistake naming the valid ones. */
export function parseFaults(names: string[]): Set<string> {
  const unknown = names.filter((n) => !FAULT_NAMES.has(n));
  if (unknown.length) throw new UserError(`unknown mock fault ${unknown.join(', ')}; valid faults: ${[...FAULT_NAMES].join(', ')}`);
  return new Set(names);
}
