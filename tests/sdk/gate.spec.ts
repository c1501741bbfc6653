import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateReport } from '../../src/run/sdk/gate';
import { hermeticEnv } from '../support/processes';
import { fakeSdk, packed } from './fake-sdk';

/**
 * The SDK release gate maps any build's methods by the requests they send, drives them with
 * generated inputs and answers, and blocks an SDK for exactly what it gets wrong: each flaw of a
 * fake SDK is a BLOCK naming it, the conformant fake a PASS; a tarball, a directory and a
 * registry version each work; a live target's key in the environment changes nothing.
 */
test.describe.configure({ mode: 'parallel' });

function gate(sdk: string, out: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sdk-gate.ts', '--sdk', sdk, '--out', out], {
    encoding: 'utf8',
    env: hermeticEnv({ ALLURE_RESULTS_DIR: join(out, 'allure'), ...env }),
    timeout: 150_000,
  });
  const file = readdirSync(out).find((f) => f.startsWith('sdk-gate-') && f.endsWith('.json'));
  return { ...r, report: file ? (JSON.parse(readFileSync(join(out, file), 'utf8')) as GateReport) : undefined };
}

const blocking = (r: GateReport) => r.findings.filter((f) => f.blocking).map((f) => f.rule).sort();

test('a conformant SDK installed from a directory passes: every method mapped whatever its name, the operations it lacks listed', async ({}, testInfo) => {
  const { status, stdout, stderr, report } = gate(fakeSdk(testInfo.outputPath('sdk')), testInfo.outputPath('out'));
  expect(status, stdout + stderr).toBe(0);
  expect(report!.verdict).toBe('PASS');
  const mapped = Object.fromEntries(report!.methods.filter((m) => m.operation).map((m) => [m.name, m.operation]));
  expect(mapped).toMatchObject({ 'organization.change': 'organization_update', 'users.get': 'users_get', 'users.mintKey': 'users_createApiKey', 'permissions.roles.get': 'roles_get' });
  expect(report!.coverage.covered).toHaveLength(13);
  expect(report!.coverage.missing).toEqual(expect.arrayContaining(['organization_getCurrent', 'roles_create', 'identity_get']));
  expect(report!.methods.every((m) => !m.operation || m.calls >= 3)).toBe(true);
  expect(stdout).toMatch(/replay: npm run sdk:gate -- --sdk .* --seed 424242/);
});

const FLAWS: [string, Parameters<typeof fakeSdk>[1], string][] = [
  ['updates organizations with PATCH', { patchUpdates: true }, 'undeclared_method'],
  ['drops answer fields it does not know', { dropsUnknownFields: true }, 'answer_altered'],
  ['retries a create answered 409', { retriesConflicts: true }, 'create_retried_on_conflict'],
  ['ignores its timeout', { noTimeout: true }, 'timeout_ignored'],
];

for (const [what, flaws, rule] of FLAWS) {
  test(`an SDK that ${what} is blocked for it, and for nothing else`, { tag: '@heavy' }, async ({}, testInfo) => {
    const { status, stdout, report } = gate(fakeSdk(testInfo.outputPath('sdk'), flaws), testInfo.outputPath('out'));
    expect(status, stdout).toBe(1);
    expect(report!.verdict).toBe('BLOCK');
    expect(blocking(report!)).toEqual([rule]);
    const f = report!.findings.find((x) => x.rule === rule)!;
    expect(f.request).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/api\//);
    expect(f.methods.length).toBeGreaterThan(0);
  });
}

test('a tarball works, and a partner key exported for a live target changes nothing', { tag: '@heavy' }, async ({}, testInfo) => {
  const tgz = packed(fakeSdk(testInfo.outputPath('sdk')), testInfo.outputPath('packed'));
  const { status, stdout, stderr, report } = gate(tgz, testInfo.outputPath('out'), { POLYTOMIC_PARTNER_KEY: 'exported-for-staging', POLYTOMIC_BASE_URL: 'https://staging.example.com' });
  expect(status, stdout + stderr).toBe(0);
  expect(report!.verdict).toBe('PASS');
  expect(report!.version).toBe('0.0.0-fake-conformant');
});

test('a registry version works: polytomic@1.18.1 is blocked for retrying creates on 409, with its coverage', { tag: '@heavy' }, async ({}, testInfo) => {
  test.slow();
  const { status, stdout, report } = gate('polytomic@1.18.1', testInfo.outputPath('out'));
  expect(status, stdout).toBe(1);
  expect(report!.version).toBe('1.18.1');
  expect(blocking(report!)).toEqual(['create_retried_on_conflict']);
  expect(report!.coverage.covered).toHaveLength(22);
  expect(report!.coverage.missing).toEqual(['organization_getCurrent', 'users_listCurrentOrgUsers', 'users_createCurrentOrgUser', 'users_getCurrentOrgUser', 'users_updateCurrentOrgUser', 'users_deleteCurrentOrgUser']);
  expect(report!.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['version_header_missing', 'retry_after_ignored']));
  expect(JSON.stringify(report)).not.toMatch(/poly_partner_main_key/);
});

test('a bad source or option is one line and exit 2', async ({}, testInfo) => {
  const out = testInfo.outputPath('out');
  for (const [args, message] of [
    [['--sdk', testInfo.outputPath()], /is a directory without a package.json/],
    [['--sdk', 'x', '--target', 'http://x'], /--target is no longer taken/],
    [['--sdk', 'x', '--seed', 'abc'], /--seed abc is not a whole number/],
  ] as const) {
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sdk-gate.ts', ...args, '--out', out], { encoding: 'utf8', env: hermeticEnv(), timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }
});
