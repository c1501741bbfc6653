import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { defectsText, groupDefects, groupRefusals, type Occurrence, suiteErrors, verdictText } from '../../src/run/report/defects';
import { hermeticEnv, startMockProcess } from '../support/processes';
import { allureCases, allureGlobals } from '../support/allure';

/**
 * Defects, not symptoms: one broken rule is one defect wherever it showed, with the operations
 * and tests it touched; a test fails for the defects of its own requests, and a defect met only
 * while setting up for tests fails the run, once.
 */
const occurrence = (key: string, operation: string, own: boolean): Occurrence => ({
  key,
  check: key.split(' ')[0],
  rule: key.split(' ')[1],
  message: `${key} broken`,
  operation,
  request: `GET /api/${operation} -> 200`,
  curl: `curl ${operation}`,
  own,
});

test('occurrences fold into one defect per broken rule, most frequent first, each with where it showed', () => {
  const defects = groupDefects([
    { test: 'users_get examples', failed: true, occurrences: [occurrence('response_schema_conformance #/User/email', 'users_get', true), occurrence('response_schema_conformance #/User/email', 'users_get', true)] },
    { test: 'users_list examples', failed: true, occurrences: [occurrence('response_schema_conformance #/User/email', 'users_list', true)] },
    { test: 'methods /api/organization/users/{id}', failed: false, occurrences: [occurrence('response_schema_conformance #/User/email', 'users_create', false), occurrence('contract_nullable_role_ids User.role_ids', 'users_create', false)] },
  ]);
  expect(defects.map((d) => [d.key, d.count, d.operations, d.tests.length, d.failedTests])).toEqual([
    ['response_schema_conformance #/User/email', 4, ['users_create', 'users_get', 'users_list'], 3, 2],
    ['contract_nullable_role_ids User.role_ids', 1, ['users_create'], 1, 0],
  ]);
  expect(defects[0].first).toEqual({ test: 'users_get examples', request: 'GET /api/users_get -> 200', curl: 'curl users_get' });
  const text = defectsText(defects);
  expect(text[0]).toBe('2 defects:');
  expect(text.join('\n')).toMatch(/seen 1 time in 1 operation \(users_create\), 1 test, failing none: met only in setup/);
});

test('a run whose tests meet two defects only in setup passes every test, leads with "2 defects", and still fails', async ({}, testInfo) => {
  test.slow();
  const { child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'user_email_number,role_ids_omitted_when_null' });
  const allure = testInfo.outputPath('allure');
  try {
    const env = hermeticEnv({
      POLYTOMIC_BASE_URL: url,
      POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key',
      CONFORMANCE_TARGET_PROFILE: 'embedded',
      CONFORMANCE_RPS: '0',
      ALLURE_RESULTS_DIR: allure,
    });
    // The method probes of a users path create a user to probe with: setup, not what they test.
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'Undeclared methods › /api/organization/users/'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((ok) => run.on('exit', ok));
    const plain = stripVTControlCharacters(out);
    expect(code, plain).toBe(1);
    expect(plain).toMatch(/2 defects:\n {2}1\. \[(response_schema_conformance|contract_nullable_role_ids)\]/);
    expect(plain.indexOf('2 defects:')).toBeLessThan(plain.indexOf('area'));
    expect(plain).toMatch(/failing none: met only in setup/);
    // The one test passed, in every view; the two defects met only in its setup fail the run.
    expect(plain).toMatch(/\n1 passed, 0 failed; 2 defects met only in setup fail the run\n/);
    expect(allureCases(allure).map((c) => c.status)).toEqual(['passed']);
    expect(readFileSync(join(env.CONFORMANCE_REPORTS_DIR!, 'latest', 'junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*tests="1" failures="0"/);
    const { errors, attachments } = allureGlobals(allure);
    expect(errors.map((e) => e.message.replace(/\] .*$/, ']'))).toEqual(['defect 1 of 2: [contract_nullable_role_ids]', 'defect 2 of 2: [response_schema_conformance]']);
    expect(attachments.map((a) => a.name)).toEqual(expect.arrayContaining(['defects.md', 'defect 1: reproduce.sh', 'defect 2: reproduce.sh']));
  } finally {
    mock.kill();
  }
});

test('every failed test is counted: a defect, a setup the target refused, or an error of the suite', () => {
  const refused = { message: 'setup: creating an organization got 403', operation: 'organization_create', status: 403, request: 'POST /api/organizations -> 403', curl: 'curl ...' };
  const byTest = [
    { test: 'b', failed: true, occurrences: [occurrence('positive_data_acceptance organization_create', 'organization_create', true)], outcome: { refused, errors: [] } },
    { test: 'a', failed: true, occurrences: [], outcome: { refused, errors: [] } },
    { test: 'c', failed: true, occurrences: [], outcome: { errors: ['failed without a verdict: Test timeout of 60000ms exceeded.'] } },
  ];
  const v = { defects: groupDefects(byTest), refusals: groupRefusals(byTest), errors: suiteErrors(byTest) };
  expect(v.refusals).toEqual([{ key: 'organization_create -> 403', message: refused.message, request: refused.request, curl: refused.curl, tests: ['a', 'b'] }]);
  const text = verdictText(v);
  expect(text[0]).toBe('1 defect, 1 setup refused by the target (in 2 tests), 1 suite error:');
  expect(text.join('\n')).toMatch(/Setups the target refused .*\n {2}1\. setup: creating an organization got 403\n {5}request: POST \/api\/organizations -> 403/);
  expect(text.join('\n')).toMatch(/Errors of the suite .*\n {2}1\. c: failed without a verdict/);
});

test('a run whose setups the target refuses says so in the summary, defects.md and the Allure report, apart from its defects', async ({}, testInfo) => {
  test.slow();
  const { child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'org_creates_refused' });
  const allure = testInfo.outputPath('allure');
  try {
    const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_RPS: '0', ALLURE_RESULTS_DIR: allure });
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'Partner users › users_get'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    expect(await new Promise<number | null>((ok) => run.on('exit', ok)), out).toBe(1);
    const plain = stripVTControlCharacters(out);
    // The refused create is a valid request refused: a defect met in setup, besides the four tests it kept from running.
    expect(plain).toMatch(/1 defect, 1 setup refused by the target \(in 4 tests\):/);
    expect(plain).toMatch(/Setups the target refused .*:\n {2}1\. setup: creating an organization \(POST \/api\/organizations\) got 403/);
    expect(readFileSync(`${env.CONFORMANCE_REPORTS_DIR}/latest/defects.md`, 'utf8')).toMatch(/Setups the target refused/);
    // The four tests that could not run are said to be refused, not defects: a refused setup is no defect of what they test.
    expect(allureCases(allure).map((c) => c.labels.find((l) => l.name === 'outcome')?.value)).toEqual(['refused', 'refused', 'refused', 'refused']);
    expect(allureGlobals(allure).errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/^setup refused by the target: setup: creating an organization/));
  } finally {
    mock.kill();
  }
});

test('one server fault met by many tests and operations is one defect: a 500 on a non-ASCII organization name', async () => {
  test.slow();
  const { child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'server_error_on_non_ascii_name' });
  try {
    const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_RPS: '0' });
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'Organizations'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    expect(await new Promise<number | null>((ok) => run.on('exit', ok)), out).toBe(1);
    const plain = stripVTControlCharacters(out);
    // Refused-valid and accepted-invalid findings of the same 500s are listed under it, not defects of their own.
    expect(plain).toMatch(/Conformance summary\n\n1 defect:\n {2}1\. \[not_a_server_error\] server error 500\n/);
    expect(plain).toMatch(/seen \d+ times in 2 operations \(organization_create, organization_update\)/);
    const defects = JSON.parse(readFileSync(join(env.CONFORMANCE_REPORTS_DIR!, 'latest', 'defects.json'), 'utf8')).defects;
    expect(defects.map((d: { key: string }) => d.key)).toEqual(['not_a_server_error server error 500']);
  } finally {
    mock.kill();
  }
});
