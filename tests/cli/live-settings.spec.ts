import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { hermeticEnv } from '../support/processes';
import { fakeSdk } from '../sdk/fake-sdk';

/**
 * The shell of anyone who points the suite at staging exports its settings. Every command that
 * runs against the embedded mock must not read them: not the URL, not the keys, not the rate or
 * budget meant for staging, not its target profile. Each command runs here with them exported.
 */
test.describe.configure({ mode: 'parallel' });
test.slow();

/** What a live target's user has exported (an unreachable URL: any use of it fails at once). */
const STAGING = {
  POLYTOMIC_BASE_URL: 'http://127.0.0.1:9',
  POLYTOMIC_PARTNER_KEY: 'exported-staging-partner-key',
  POLYTOMIC_FOREIGN_PARTNER_KEY: 'exported-staging-foreign-key',
  POLYTOMIC_OWNER_ORG_ID: '0b4d2c9e-1f3a-4c5b-8d6e-7f8091a2b3c4',
  CONFORMANCE_RPS: '1',
  CONFORMANCE_BUDGET: '3',
  CONFORMANCE_TARGET_PROFILE: 'polytomic',
};

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), script, ...args], { env: hermeticEnv({ ...env, ALLURE_RESULTS_DIR: `reports/selftest/live-settings-${script.replace(/\W/g, '-')}` }) });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((ok) => child.on('exit', (code) => ok({ code, out: stripVTControlCharacters(out) })));
}

test('selfcheck', { tag: '@heavy' }, async () => {
  const r = await run('src/cli/selfcheck.ts', ['undocumented_field'], STAGING);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toContain('score: 1/1 faults caught');
  expect(r.out).toMatch(/clean mock: passed \(\d{3,} requests, no finding\)/);
});

test('crosscheck', { tag: '@heavy' }, async () => {
  const r = await run('src/cli/crosscheck.ts', [], STAGING);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toContain('Prism and the suite agree');
});

test('bench', { tag: '@heavy' }, async () => {
  const r = await run('src/cli/bench.ts', ['--only', 'speed'], { ...STAGING, BENCH_REQUESTS: '200' });
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/PR-tier conformance exit code\s+0/);
  expect(r.out).not.toMatch(/internal error|401/);
});

test('sdk:gate', { tag: '@heavy' }, async ({}, testInfo) => {
  const r = await run('src/cli/sdk-gate.ts', ['--sdk', fakeSdk(testInfo.outputPath('sdk')), '--out', testInfo.outputPath('out')], STAGING);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/: PASS;/);
});

test('conformance without a URL', async () => {
  const { POLYTOMIC_BASE_URL: _url, ...exported } = STAGING;
  // The rate, budget and profile are the run's own to choose, against any target: only the target's identity is left out here.
  const { CONFORMANCE_RPS: _r, CONFORMANCE_BUDGET: _b, CONFORMANCE_TARGET_PROFILE: _p, ...identity } = exported;
  const r = await run('src/cli/conformance.ts', ['-g', 'organization_list', '--reporter=dot', '--output=reports/live-settings-results'], identity);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/conformance: target http:\/\/127\.0\.0\.1:\d+ \(embedded mock\)/);
  expect(r.out).toMatch(/\d+ passed \(/);
  expect(r.out).not.toMatch(/failed/);
});
