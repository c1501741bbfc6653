import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { defectsText, groupDefects, type Occurrence } from '../../src/run/report/defects';
import { hermeticEnv, startMockProcess } from '../support/processes';

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
    // The one test passed; the two defects met only in its setup are the run's two failures.
    expect(plain).toMatch(/\n1 passed, 2 failed\n/);
    const cases = readdirSync(allure).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(allure, f), 'utf8')));
    const defects = cases.filter((c) => c.labels.some((l: { value: string }) => l.value === 'Defects (2)'));
    expect(defects.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(defects.map((c) => c.name.split(']')[0]).sort()).toEqual(['[contract_nullable_role_ids', '[response_schema_conformance']);
  } finally {
    mock.kill();
  }
});
