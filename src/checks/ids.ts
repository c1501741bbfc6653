/**
 * Every check the suite has, by the id reports show and the configuration names. A finding, a
 * rule a scenario asserts and a `checks:` entry all take one of these: a misspelt id does not
 * compile, and the registry holds a definition for each (src/checks/registry.ts).
 */
export const CHECK_IDS = [
  // Exchange checks: one request and its answer.
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'unknown_ids_not_found',
  'positive_data_acceptance',
  'ignored_auth',
  'wrong_credential_kind',
  'unsupported_method',
  'max_response_time',
  'contract_required_fields',
  'contract_nullable_role_ids',
  'contract_ids_are_uuids',
  'contract_write_only_never_returned',
  'contract_error_status_matches',
  'answers_match_profile',
  'answers_in_scope',
  'spec_drift',
  // Stateful checks: an answer judged against what the run did and saw before it.
  'ensure_resource_availability',
  'use_after_free',
  'update_applied',
  'unique_names',
  'unique_in_container',
  'container_limit',
  'readonly_instances_protected',
  'cross_org_reference',
  'reference_after_delete',
  'owner_org_first',
  'owner_org_protected',
  'revoked_key_rejected',
  'idempotent_replay',
  'cross_partner_access',
  'org_list_isolation',
  'cross_org_access',
  'mass_assignment',
  'version_negotiation',
  'identity_names_caller',
  'model_conformance',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export const isCheckId = (id: string): id is CheckId => (CHECK_IDS as readonly string[]).includes(id);
