import { expect, test } from '@playwright/test';
import { EXCHANGE_CHECKS } from '../../src/checks/registry';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { EXAMPLE_SUITES, type ExampleSuiteName, probeMethods } from '../../src/run/suites/examples';
import type { SuiteEnv } from '../../src/run/env';

/**
 * Every check is shown to fire: run against a mock that breaks exactly its rule, it reports a
 * finding with its id; switched off in the configuration, the same run reports nothing under it;
 * run against the clean mock, the same scenario reports nothing at all.
 * A rule that is a target profile's answer is broken by starting the mock as a variant that
 * answers otherwise (while the suite keeps the embedded profile); its clean run is the variant
 * judged by its own profile.
 */
interface Case {
  check: string;
  /** A mock fault, or a profile the mock behaves as while the suite expects the embedded one. */
  fault?: string;
  variant?: string;
  /** The example suite (or method probe) and operation/path that exercise the rule. */
  suite: ExampleSuiteName | 'methods';
  target: string;
  env?: Record<string, string>;
  mock?: { faultDelayMs?: number };
}

const broken = (c: Case) => ({ faults: c.fault ? [c.fault] : [], mock: { ...c.mock, profile: c.variant }, env: { ...c.env, CONFORMANCE_TARGET_PROFILE: 'embedded' } });
const clean = (c: Case) => ({ mock: { ...c.mock, profile: c.variant }, env: c.env });

const CASES: Case[] = [
  { check: 'not_a_server_error', fault: 'unknown_user_500', suite: 'unknownIds', target: 'users_get' },
  { check: 'status_code_conformance', fault: 'create_returns_201', suite: 'valid', target: 'users_create' },
  { check: 'content_type_conformance', fault: 'html_content_type_on_success', suite: 'valid', target: 'organization_get' },
  { check: 'response_headers_conformance', fault: 'missing_version_header', suite: 'valid', target: 'organization_list' },
  { check: 'response_schema_conformance', fault: 'user_email_number', suite: 'valid', target: 'users_get' },
  { check: 'negative_data_rejection', fault: 'accepts_empty_role_ids', suite: 'invalidBodies', target: 'users_create' },
  // Rejected, but not with the status the target profile gives that kind of mistake.
  { check: 'negative_data_rejection', variant: 'variant-a', suite: 'invalidBodies', target: 'users_create' },
  { check: 'negative_data_rejection', variant: 'variant-a', suite: 'malformed', target: 'users_get' },
  { check: 'negative_data_rejection', fault: 'unsupported_version_accepted', suite: 'malformed', target: 'organization_list' },
  { check: 'unknown_ids_not_found', fault: 'unknown_org_answers_200', suite: 'unknownIds', target: 'organization_get' },
  { check: 'positive_data_acceptance', fault: 'api_key_body_rejected', suite: 'valid', target: 'users_createApiKey' },
  { check: 'answers_match_profile', variant: 'variant-b', suite: 'valid', target: 'organization_delete' },
  { check: 'answers_match_profile', variant: 'variant-a', suite: 'credentials', target: 'organization_list' },
  { check: 'ignored_auth', fault: 'no_auth_required', suite: 'credentials', target: 'organization_list' },
  { check: 'wrong_credential_kind', fault: 'user_key_on_partner_routes', suite: 'credentials', target: 'users_list' },
  { check: 'unsupported_method', variant: 'variant-b', suite: 'methods', target: '/api/organizations/{id}' },
  { check: 'unsupported_method', fault: 'method_not_allowed_without_allow', suite: 'methods', target: '/api/organizations/{id}' },
  {
    check: 'max_response_time',
    fault: 'slow_list_orgs',
    suite: 'valid',
    target: 'organization_list',
    env: { CONFORMANCE_MAX_RESPONSE_MS: '250' },
    mock: { faultDelayMs: 500 },
  },
  { check: 'contract_required_fields', fault: 'user_missing_organization_id', suite: 'valid', target: 'users_get' },
  { check: 'contract_nullable_role_ids', fault: 'role_ids_omitted_when_null', suite: 'valid', target: 'users_get' },
  { check: 'contract_ids_are_uuids', fault: 'org_id_not_uuid', suite: 'valid', target: 'organization_get' },
  { check: 'contract_write_only_never_returned', fault: 'org_returns_client_secret', suite: 'valid', target: 'organization_update' },
  { check: 'contract_error_status_matches', fault: 'error_status_mismatch', suite: 'credentials', target: 'organization_list' },
  { check: 'spec_drift', fault: 'undocumented_field', suite: 'valid', target: 'users_get' },
  { check: 'answers_in_scope', fault: 'current_org_sees_all_users', suite: 'valid', target: 'users_listCurrentOrgUsers' },
  { check: 'answers_in_scope', fault: 'roles_list_all_orgs', suite: 'valid', target: 'roles_list' },
  // Only a user key sees too much: the valid suite reads with every kind of key the operation takes.
  { check: 'answers_in_scope', fault: 'user_key_sees_all_roles', suite: 'valid', target: 'roles_list' },
  // A setup the target refuses is a valid request refused, and the test that needed it says so.
  { check: 'positive_data_acceptance', fault: 'org_creates_refused', suite: 'valid', target: 'organization_create' },
];

function scenario(c: Case) {
  return async (env: SuiteEnv) => {
    if (c.suite === 'methods') return probeMethods(c.target, env);
    const op = env.target.spec.byId.get(c.target);
    if (!op) throw new Error(`no operation ${c.target}`);
    await EXAMPLE_SUITES[c.suite](op, env);
  };
}

test.describe.configure({ mode: 'parallel' });

test('every exchange check has a fault that proves it fires', () => {
  const proven = new Set(CASES.map((c) => c.check));
  expect(EXCHANGE_CHECKS.map((c) => c.id).filter((id) => !proven.has(id))).toEqual([]);
});

// Switched off, each check is silent on the very run that makes it fire (its first case).
for (const c of CASES.filter((x, i) => CASES.findIndex((y) => y.check === x.check) === i)) {
  test(`check ${c.check}, switched off, is silent on ${c.fault ?? c.variant}`, async () => {
    const r = await runAgainstMock({ ...broken(c), checks: { [c.check]: { enabled: false } } }, scenario(c));
    expect(r.findings.filter((f) => f.check === c.check)).toEqual([]);
  });
}

for (const c of CASES) {
  test.describe(`check ${c.check} (${c.fault ?? c.variant}: ${c.suite} ${c.target})`, () => {
    test(c.fault ? `fails on mock fault ${c.fault}` : `fails on the ${c.variant} mock judged by the embedded profile`, async () => {
      const r = await runAgainstMock(broken(c), scenario(c));
      expect([...r.failedChecks], `findings: ${JSON.stringify(r.findings.slice(0, 5))}`).toContain(c.check);
    });

    test(c.fault ? 'passes on the clean mock' : `passes on the ${c.variant} mock judged by its own profile`, async () => {
      const r = await runAgainstMock(clean(c), scenario(c));
      expect(r.setupError).toBeUndefined();
      expect(r.findings).toEqual([]);
    });
  });
}
