import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { readConfig } from '../../src/model/config';
import { announceRun } from '../../src/run/describe';
import { runPaths } from '../../src/run/report/paths';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import type { SuiteEnv } from '../../src/run/env';

/**
 * Strictness is configuration: a configuration file turns checks off per run or per operation,
 * replaces the statuses a check accepts, sets what each kind of drift does and the response-time
 * budget; the run states what it applies.
 */
function configFile(testInfo: { outputPath: (p: string) => string }, body: string): string {
  const file = testInfo.outputPath('conformance.config.ts');
  writeFileSync(file, `export default ${body};\n`);
  return file;
}

const valid = (op: string) => (env: SuiteEnv) => EXAMPLE_SUITES.valid(env.target.spec.byId.get(op)!, env);
const both = (a: string, b: string) => async (env: SuiteEnv) => {
  await valid(a)(env);
  await valid(b)(env);
};

test('a check can be turned off for one operation, or for the run', async ({}, testInfo) => {
  const perOp = configFile(testInfo, "{ checks: { response_schema_conformance: { operations: { users_get: false } } } }");
  const r = await runAgainstMock({ faults: ['user_email_number'], env: { CONFORMANCE_CONFIG: perOp } }, both('users_get', 'users_list'));
  const schema = r.findings.filter((f) => f.check === 'response_schema_conformance');
  expect(schema.length).toBeGreaterThan(0);
  expect(r.recorded.filter((x) => x.exchange.operation?.id === 'users_get').flatMap((x) => x.findings.filter((f) => f.check === 'response_schema_conformance'))).toEqual([]);

  const off = configFile(testInfo, '{ checks: { response_schema_conformance: { enabled: false } } }');
  const none = await runAgainstMock({ faults: ['user_email_number'], env: { CONFORMANCE_CONFIG: off } }, both('users_get', 'users_list'));
  expect(none.findings.filter((f) => f.check === 'response_schema_conformance')).toEqual([]);
});

test("a check's expected statuses replace the profile's answer", async ({}, testInfo) => {
  const scenario = (env: SuiteEnv) => EXAMPLE_SUITES.malformed(env.target.spec.byId.get('users_get')!, env);
  // variant-a answers a malformed id with 404, where the embedded profile expects 400.
  const strict = await runAgainstMock({ mock: { profile: 'variant-a' }, env: { CONFORMANCE_TARGET_PROFILE: 'embedded' } }, scenario);
  expect(strict.failedChecks).toContain('negative_data_rejection');
  const file = configFile(testInfo, '{ checks: { negative_data_rejection: { expectedStatuses: [400, 404, 422] } } }');
  const relaxed = await runAgainstMock({ mock: { profile: 'variant-a' }, env: { CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_CONFIG: file } }, scenario);
  expect(relaxed.findings.filter((f) => f.check === 'negative_data_rejection')).toEqual([]);
});

test('the drift policy decides what each kind of drift does', async ({}, testInfo) => {
  const run = (policy?: string) =>
    runAgainstMock({ faults: ['undocumented_field'], env: { CONFORMANCE_TARGET_PROFILE: 'polytomic', ...(policy ? { CONFORMANCE_CONFIG: configFile(testInfo, `{ drift: { policy: { undeclared_field: '${policy}' } } }`) } : {}) } }, valid('users_get'));
  // The live default reports an extra field (additive for clients) without failing on it.
  expect((await run()).failedChecks.has('spec_drift')).toBe(false);
  expect((await run('fail')).failedChecks.has('spec_drift')).toBe(true);
  expect((await run('off')).failedChecks.has('spec_drift')).toBe(false);
});

test('the response-time budget comes from the configuration file, and the environment wins over it', async ({}, testInfo) => {
  const file = configFile(testInfo, '{ maxResponseTimeMs: 100 }');
  const slow = { faults: ['slow_list_orgs'], mock: { faultDelayMs: 300 } };
  expect((await runAgainstMock({ ...slow, env: { CONFORMANCE_CONFIG: file } }, valid('organization_list'))).failedChecks).toContain('max_response_time');
  expect((await runAgainstMock({ ...slow, env: { CONFORMANCE_CONFIG: file, CONFORMANCE_MAX_RESPONSE_MS: '5000' } }, valid('organization_list'))).failedChecks.has('max_response_time')).toBe(false);
});

test('the run states its target, profile and configuration, and writes the effective configuration for the report', async ({}, testInfo) => {
  const file = configFile(testInfo, "{ profile: 'variant-a', checks: { spec_drift: { operations: { users_get: false } } } }");
  const cfg = readConfig({ CONFORMANCE_CONFIG: file, CONFORMANCE_REPORTS_DIR: testInfo.outputPath('reports') });
  const line = announceRun(cfg, 'http://target.example');
  expect(line).toMatch(/target http:\/\/target\.example, target profile variant-a \(contracts\/targets\/variant-a\.yaml\), config .*conformance\.config\.ts/);
  const written = JSON.parse(readFileSync(runPaths(cfg.runId, { CONFORMANCE_REPORTS_DIR: cfg.reportsDir }).effectiveConfig, 'utf8'));
  expect(written.profile.name).toBe('variant-a');
  expect(written.profile.answers.validation_status).toEqual({ accept: [400], basis: 'guess' });
  expect(written.config.checks.spec_drift.operations).toEqual({ users_get: false });
  expect(written.config.drift.policy.undeclared_field).toBe('fail');
});
