import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateReport } from '../../src/run/sdk/gate';
import { hermeticEnv } from '../support/processes';
import { fakeSdk, packed } from './fake-sdk';

/**
 * The SDK release gate maps any build's methods by the requests they send and by the names of
 * their parameters, drives them with the spec's example bodies and generated inputs and answers,
 * and blocks a build for exactly what it gets wrong: each broken build of a fake SDK is a BLOCK
 * naming its defect, the correct build and builds that differ harmlessly a PASS; `--compare`
 * tells a build with one more defect from its base; a tarball, a directory and a registry
 * version each work; a live target's key in the environment changes nothing.
 */
test.describe.configure({ mode: 'parallel' });

function gate(sdk: string, out: string, env: Record<string, string> = {}, extra: string[] = []) {
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sdk-gate.ts', '--sdk', sdk, '--out', out, ...extra], {
    encoding: 'utf8',
    env: hermeticEnv({ ALLURE_RESULTS_DIR: join(out, 'allure'), ...env }),
    timeout: 150_000,
  });
  const file = readdirSync(out).find((f) => f.startsWith('sdk-gate-') && f.endsWith('.json'));
  return { ...r, report: file ? (JSON.parse(readFileSync(join(out, file), 'utf8')) as GateReport) : undefined };
}

const blocking = (r: GateReport) => r.findings.filter((f) => f.blocking && f.state === 'new').map((f) => f.rule).sort();

test('a conformant SDK installed from a directory passes: every method mapped whatever its name, the operations it lacks listed', async ({}, testInfo) => {
  const { status, stdout, stderr, report } = gate(fakeSdk(testInfo.outputPath('sdk')), testInfo.outputPath('out'));
  expect(status, stdout + stderr).toBe(0);
  expect(report!.verdict).toBe('PASS');
  const mapped = Object.fromEntries(report!.methods.filter((m) => m.operation).map((m) => [m.name, m.operation]));
  expect(mapped).toMatchObject({ 'organization.change': 'organization_update', 'users.get': 'users_get', 'users.mintKey': 'users_createApiKey', 'permissions.roles.get': 'roles_get' });
  expect(report!.coverage.covered).toHaveLength(13);
  expect(report!.coverage.missing).toEqual(expect.arrayContaining(['organization_getCurrent', 'roles_create', 'identity_get']));
  // The operations it does not reach are reported, not blocking (contracts/sdk-gate.yaml).
  expect(report!.findings.map((f) => [f.rule, f.blocking])).toEqual([['operation_unreached', false]]);
  expect(report!.methods.every((m) => !m.operation || m.calls >= 3)).toBe(true);
  expect(stdout).toMatch(/replay: npm run sdk:gate -- --sdk .* --seed 424242/);
});

const FLAWS: [string, Parameters<typeof fakeSdk>[1], string][] = [
  ['updates organizations with PATCH', { patchUpdates: true }, 'undeclared_method'],
  ['drops answer fields it does not know', { dropsUnknownFields: true }, 'answer_altered'],
  ['retries a create answered 409 without a key', { retriesConflicts: true }, 'unsafe_retry'],
  ['sends a create again after a 503 without a key', { retriesCreatesOn503: true }, 'unsafe_retry'],
  ['ignores its timeout', { noTimeout: true }, 'timeout_ignored'],
  ['swaps the user and organization ids', { swapsPathIds: true }, 'parameter_misplaced'],
  ['drops a body field', { dropsBodyField: true }, 'body_altered'],
  ['joins role_ids into a string', { joinsRoleIds: true }, 'body_altered'],
  ['sends Bearer Bearer <token>', { doublesBearer: true }, 'credential_altered'],
  ['sends an older version than the caller chose', { oldVersion: true }, 'version_wrong'],
  ['sends no version', { noVersion: true }, 'version_header_missing'],
  ['drops the idempotency key it was given', { dropsIdempotencyKey: true }, 'idempotency_key_dropped'],
  ['leaves a documented 422 untyped', { untyped422: true }, 'error_untyped'],
  ['ignores Retry-After', { ignoresRetryAfter: true }, 'retry_after_ignored'],
  ['drops force', { dropsForce: true }, 'value_dropped'],
];

for (const [what, flaws, rule] of FLAWS) {
  test(`a build that ${what} is blocked for it, and for nothing else`, { tag: '@heavy' }, async ({}, testInfo) => {
    const { status, stdout, report } = gate(fakeSdk(testInfo.outputPath('sdk'), flaws), testInfo.outputPath('out'));
    expect(status, stdout).toBe(1);
    expect(report!.verdict).toBe('BLOCK');
    expect(blocking(report!)).toEqual([rule]);
    const f = report!.findings.find((x) => x.rule === rule)!;
    expect(f.methods.length).toBeGreaterThan(0);
  });
}

const HARMLESS: [string, Parameters<typeof fakeSdk>[1]][] = [
  ['renames every method', { renamedMethods: true }],
  ['takes its ids in another order, named for what they are', { reorderedParams: true }],
  ['sends one header more', { extraHeader: true }],
  ['sends a request again after a 503 with the same idempotency key', { safeRetries: true }],
];

for (const [what, flaws] of HARMLESS) {
  test(`a build that ${what} passes`, { tag: '@heavy' }, async ({}, testInfo) => {
    const { status, stdout, report } = gate(fakeSdk(testInfo.outputPath('sdk'), flaws), testInfo.outputPath('out'));
    expect(status, stdout).toBe(0);
    expect(report!.verdict).toBe('PASS');
    expect(blocking(report!)).toEqual([]);
  });
}

test('--compare: a build with one defect more is worse than its base, and its base no worse than itself', { tag: '@heavy' }, async ({}, testInfo) => {
  // The base carries a known defect (it retries conflicts); the new build adds one (it drops a body field).
  const base = fakeSdk(testInfo.outputPath('base'), { retriesConflicts: true });
  const worse = fakeSdk(testInfo.outputPath('worse'), { retriesConflicts: true, dropsBodyField: true });
  const against = gate(worse, testInfo.outputPath('out-worse'), {}, ['--compare', base]);
  expect(against.status, against.stdout).toBe(1);
  expect(against.stdout).toMatch(/against .*fake-retriesConflicts\): worse, 1 blocking finding it did not have/);
  expect(blocking(against.report!)).toEqual(['body_altered']);
  expect(against.report!.findings.find((f) => f.rule === 'unsafe_retry')).toMatchObject({ blocking: true, state: 'known' });
  const same = gate(base, testInfo.outputPath('out-same'), {}, ['--compare', base]);
  expect(same.status, same.stdout).toBe(0);
  expect(same.stdout).toMatch(/: no worse/);
});

test('a tarball works, and a partner key exported for a live target changes nothing', { tag: '@heavy' }, async ({}, testInfo) => {
  const tgz = packed(fakeSdk(testInfo.outputPath('sdk')), testInfo.outputPath('packed'));
  const { status, stdout, stderr, report } = gate(tgz, testInfo.outputPath('out'), { POLYTOMIC_PARTNER_KEY: 'exported-for-staging', POLYTOMIC_BASE_URL: 'https://staging.example.com' });
  expect(status, stdout + stderr).toBe(0);
  expect(report!.verdict).toBe('PASS');
  expect(report!.version).toBe('0.0.0-fake-conformant');
});

test('a registry version works: polytomic@1.18.1 is blocked for what it gets wrong, with its coverage', { tag: '@heavy' }, async ({}, testInfo) => {
  test.slow();
  const { status, stdout, report } = gate('polytomic@1.18.1', testInfo.outputPath('out'));
  expect(status, stdout).toBe(1);
  expect(report!.version).toBe('1.18.1');
  // It retries a create answered 409 and ignores Retry-After; it sends no version unless told, no idempotency key, and leaves 400 and 409 untyped.
  expect(blocking(report!)).toEqual(['error_untyped', 'idempotency_key_dropped', 'retry_after_ignored', 'unsafe_retry', 'version_header_missing']);
  expect(report!.coverage.covered).toHaveLength(22);
  expect(report!.coverage.missing).toEqual(['organization_getCurrent', 'users_listCurrentOrgUsers', 'users_createCurrentOrgUser', 'users_getCurrentOrgUser', 'users_updateCurrentOrgUser', 'users_deleteCurrentOrgUser']);
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
