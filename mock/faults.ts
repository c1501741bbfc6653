import { UserError } from '../src/model/errors';

export interface Fault {
  name: string;
  description: string;
  /** The check id expected to catch it. */
  catches: string;
  /**
   * The rule it breaks: a rule of contracts/ (`choices.<key>`, `invariants.<key>`), the OpenAPI
   * document (`spec`), or HTTP itself (`http`: no 5xx, a response-time budget).
   */
  rule: string;
  category: 'shape' | 'format' | 'secrets' | 'errors' | 'status' | 'headers' | 'versions' | 'auth' | 'tenancy' | 'validation' | 'state' | 'keys' | 'idempotency' | 'robustness' | 'latency' | 'drift';
}

const f = (category: Fault['category'], name: string, catches: string, rule: string, description: string): Fault => ({ name, description, catches, rule, category });

/**
 * Every way the mock can be told to break one rule of the API. Each fault breaks exactly that
 * rule and nothing else; `npm run selfcheck` runs the suite against each of them, and a test
 * holds that every rule of contracts/ has a fault.
 */
export const FAULTS: readonly Fault[] = [
  f('shape', 'user_email_number', 'response_schema_conformance', 'spec', 'User.email is rendered as a number'),
  f('shape', 'user_missing_organization_id', 'contract_required_fields', 'invariants.entities.User.required', 'User.organization_id is left out'),
  f('shape', 'org_missing_name', 'contract_required_fields', 'invariants.entities.Organization.required', 'Organization.name is left out'),
  f('shape', 'role_ids_omitted_when_null', 'contract_nullable_role_ids', 'invariants.entities.User.nullable_arrays', 'User.role_ids is dropped when null instead of being null'),
  f('shape', 'role_ids_empty_string', 'response_schema_conformance', 'spec', 'a null User.role_ids is rendered as ""'),
  f('shape', 'list_users_data_object', 'response_schema_conformance', 'spec', 'user lists put an object in `data`'),
  f('shape', 'envelope_missing', 'contract_required_fields', 'invariants.envelopes', 'GET organization returns the organization without its {data} envelope'),
  f('shape', 'api_key_missing_value', 'contract_required_fields', 'invariants.entities.ApiKeyResponse.required', 'a new API key comes back as {data:{}}'),
  f('format', 'org_id_not_uuid', 'contract_ids_are_uuids', 'invariants.uuid_fields', 'organization ids are rendered as org_<n> (and accepted back)'),
  f('format', 'role_id_item_not_uuid', 'response_schema_conformance', 'spec', 'role_ids items are rendered as role names'),
  f('secrets', 'org_returns_client_secret', 'contract_write_only_never_returned', 'invariants.never_returned', 'organizations are rendered with their client_secret'),
  f('errors', 'error_status_mismatch', 'contract_error_status_matches', 'invariants.error_status_matches_http', 'ApiError.status differs from the HTTP status'),
  f('errors', 'error_status_string', 'response_schema_conformance', 'spec', 'ApiError.status is the status text'),
  f('errors', 'rest_err_401', 'response_schema_conformance', 'choices.unauthorized_body', '401 bodies are the old RestErrResponse'),
  f('errors', 'text_plain_errors', 'content_type_conformance', 'spec', '4xx bodies are text/plain'),
  f('errors', 'html_content_type_on_success', 'content_type_conformance', 'spec', 'GET organization answers 200 with Content-Type text/html'),
  f('status', 'create_returns_201', 'status_code_conformance', 'choices.create_status', 'creates answer 201'),
  f('status', 'org_delete_returns_200', 'status_code_conformance', 'choices.org_delete_status', 'organization delete answers 200 {}'),
  f('status', 'validation_errors_400', 'negative_data_rejection', 'choices.validation_status', 'bodies that break a validation rule answer 400'),
  f('status', 'malformed_ids_404', 'negative_data_rejection', 'choices.malformed_request_status', 'a path id that is not a uuid answers 404'),
  f('status', 'server_error_on_plus_email', 'not_a_server_error', 'http', "creating a user whose email's local part has a + answers 500"),
  f('status', 'unknown_user_500', 'not_a_server_error', 'http', 'an unknown user id answers 500'),
  f('robustness', 'crash_on_invalid_json', 'not_a_server_error', 'choices.malformed_request_status', 'a malformed JSON body answers 500'),
  f('headers', 'missing_version_header', 'response_headers_conformance', 'invariants.version_header', 'responses carry no X-Polytomic-Version'),
  f('headers', 'version_header_ignores_request', 'response_headers_conformance', 'invariants.version_header', 'X-Polytomic-Version always names the default version'),
  f('headers', 'rate_limit_without_retry_after', 'response_headers_conformance', 'choices.rate_limit.retry_after_header', '429 answers carry no Retry-After'),
  f('status', 'rate_limit_503', 'not_a_server_error', 'choices.rate_limit.status', 'rate-limited requests answer 503 (with Retry-After)'),
  f('versions', 'default_version_oldest', 'version_negotiation', 'choices.default_version', 'a request without X-Polytomic-Version is served as the oldest supported version'),
  f('versions', 'older_version_rejected', 'version_negotiation', 'choices.supported_versions', 'supported versions other than the default answer 400 like unknown ones'),
  f('versions', 'unsupported_version_accepted', 'negative_data_rejection', 'choices.unsupported_version_status', 'an unknown X-Polytomic-Version is served as the default'),
  f('auth', 'no_auth_required', 'ignored_auth', 'spec', 'a request without credentials acts as the main partner'),
  f('auth', 'unknown_token_accepted', 'ignored_auth', 'spec', 'an unknown bearer token acts as the main partner'),
  f('auth', 'user_key_on_partner_routes', 'wrong_credential_kind', 'choices.credential_kind_mismatch_status', "a user key works on partner routes as its organization's partner"),
  f('auth', 'partner_key_on_current_org', 'wrong_credential_kind', 'choices.credential_kind_mismatch_status', 'a partner key works on current-org routes for its owner organization'),
  f('auth', 'revoked_key_accepted', 'revoked_key_rejected', 'spec', 'force=true does not revoke earlier keys'),
  f('auth', 'basic_org_key_rejected', 'positive_data_acceptance', 'spec', 'the organization-scoped Basic key gets 401'),
  f('keys', 'key_repeat_revokes', 'revoked_key_rejected', 'choices.api_key_repeat_without_force', 'minting a key without force revokes the earlier ones too'),
  f('keys', 'api_key_body_rejected', 'positive_data_acceptance', 'choices.api_key_body', "a JSON body on /keys (the docs' curl sends {}) answers 422"),
  f('tenancy', 'foreign_partner_reads_orgs', 'cross_partner_access', 'choices.out_of_scope_status', "any partner can read and change any partner's organizations and users"),
  f('tenancy', 'out_of_scope_403', 'cross_org_user_access', 'choices.out_of_scope_status', "another partner's organization or organization's user answers 403, showing it exists"),
  f('tenancy', 'org_list_includes_foreign', 'org_list_isolation', 'spec', "organization lists include other partners' organizations"),
  f('tenancy', 'cross_org_user_lookup', 'cross_org_user_access', 'choices.out_of_scope_status', '/organizations/{A}/users/{id} finds users of any organization'),
  f('tenancy', 'current_org_sees_all_users', 'current_org_scope', 'spec', "current-org user lists include every organization's users"),
  f('tenancy', 'mass_assignment_org_id', 'mass_assignment', 'spec', 'organization_id in a create body moves the user there'),
  f('tenancy', 'owner_org_deletable', 'owner_org_protected', 'choices.owner_org_delete_status', 'the owner organization can be deleted'),
  f('tenancy', 'owner_org_not_first', 'owner_org_first', 'spec', 'the owner organization is listed last'),
  f('validation', 'accepts_empty_role_ids', 'negative_data_rejection', 'spec', 'an empty role_ids is accepted'),
  f('validation', 'accepts_role_and_role_ids', 'negative_data_rejection', 'spec', 'role together with role_ids is accepted'),
  f('validation', 'accepts_missing_email', 'negative_data_rejection', 'spec', 'a user body without email is accepted'),
  f('validation', 'accepts_non_uuid_role_id', 'negative_data_rejection', 'spec', 'a role_ids item that is not a uuid is accepted'),
  f('validation', 'idempotency_key_unchecked', 'negative_data_rejection', 'choices.idempotency.key_pattern', 'a malformed Idempotency-Key is accepted'),
  f('validation', 'rejects_legacy_role', 'positive_data_acceptance', 'choices.legacy_role_values', 'a valid legacy role gets 422'),
  f('validation', 'duplicate_org_name_allowed', 'unique_org_name', 'choices.duplicate_status', 'two organizations of a partner may share a name'),
  f('validation', 'duplicate_user_email_allowed', 'unique_user_email', 'choices.duplicate_status', 'two users of an organization may share an email'),
  f('state', 'delete_is_soft', 'use_after_free', 'spec', 'deleted users and organizations stay readable and listed'),
  f('state', 'create_not_persisted', 'ensure_resource_availability', 'spec', 'users created on the current-org route are answered but not stored'),
  f('state', 'update_ignored', 'update_applied', 'spec', 'user role updates are answered but not stored'),
  f('state', 'update_user_changes_email', 'update_applied', 'choices.update_user_email', 'a partner user update applies the email it requires'),
  f('state', 'update_hits_newest_user', 'model_conformance', 'spec', "a role update answers for the user addressed but changes the organization's newest user"),
  f('state', 'sso_merged_on_update', 'update_applied', 'spec', 'organization updates merge SSO settings instead of replacing them'),
  f('idempotency', 'idempotency_not_replayed', 'idempotent_replay', 'choices.idempotency.methods', 'a repeated Idempotency-Key runs the request again'),
  f('idempotency', 'idempotency_in_flight_processed', 'idempotent_replay', 'choices.idempotency.in_flight_duplicate_status', 'a duplicate arriving while the first is in flight runs too'),
  f('idempotency', 'idempotency_reuse_replays', 'idempotent_replay', 'choices.idempotency.reused_with_different_request_status', 'a key reused with a different request replays the first outcome'),
  f('idempotency', 'idempotency_shared_across_credentials', 'idempotent_replay', 'choices.idempotency.scope', "keys are remembered across credentials: one caller gets another's outcome"),
  f('latency', 'slow_list_orgs', 'max_response_time', 'http', 'GET /api/organizations waits faultDelayMs'),
  f('robustness', 'patch_update_allowed', 'unsupported_method', 'choices.unsupported_method_status', 'PATCH works like PUT on the update routes'),
  f('robustness', 'method_not_allowed_without_allow', 'unsupported_method', 'choices.unsupported_method_status', '405 answers carry no Allow header'),
  f('robustness', 'undeclared_method_500', 'not_a_server_error', 'choices.unsupported_method_status', 'undeclared methods answer 500'),
  f('drift', 'undocumented_field', 'spec_drift', 'spec', 'users carry an undeclared `name` field'),
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
