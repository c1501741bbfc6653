import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hermeticEnv } from '../support/processes';

/**
 * A user mistake is one line that says what is wrong and what to do, a non-zero exit, within
 * seconds, and never a stack trace.
 */
function conformance(env: Record<string, string>) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts'], { env: hermeticEnv(env), encoding: 'utf8', timeout: 30_000 });
  return { ...r, ms: Date.now() - started };
}

const CASES: [string, Record<string, string>, RegExp][] = [
  ['unreachable base URL', { POLYTOMIC_BASE_URL: 'http://127.0.0.1:9', POLYTOMIC_PARTNER_KEY: 'k' }, /cannot reach POLYTOMIC_BASE_URL=http:\/\/127\.0\.0\.1:9 .*check the URL/],
  ['missing partner key', { POLYTOMIC_BASE_URL: 'http://127.0.0.1:9' }, /POLYTOMIC_PARTNER_KEY is not set/],
  ['missing spec file', { CONFORMANCE_SPEC: 'specs/nope.yaml' }, /spec file not found: specs\/nope\.yaml/],
  ['unknown option', { CONFORMANCE_RUNZ: '5' }, /unknown setting CONFORMANCE_RUNZ/],
];

for (const [what, env, message] of CASES) {
  test(`conformance: ${what} is one clear line and exit 2`, async () => {
    const r = conformance(env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').filter((l) => !/nodedir/.test(l))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.ms).toBeLessThan(10_000);
  });
}

test('conformance: a broken spec file is one clear line and exit 2', async ({}, testInfo) => {
  const broken = testInfo.outputPath('broken.yaml');
  writeFileSync(broken, 'openapi: 3.1.0\npaths: {\n  - nope');
  const r = conformance({ CONFORMANCE_SPEC: broken });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/is not valid YAML\/JSON/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

const TOOLS: [string, string[], RegExp][] = [
  ['selfcheck: an unknown fault', ['src/cli/selfcheck.ts', 'no_such_fault'], /^selfcheck: unknown mock fault no_such_fault; valid faults: /],
  ['crosscheck: an unknown option', ['src/cli/crosscheck.ts', '--fault'], /^crosscheck: unknown option --fault; usage: npm run crosscheck/],
  ['crosscheck: an unknown fault', ['src/cli/crosscheck.ts', '--faults=no_such_fault'], /^crosscheck: unknown mock fault no_such_fault/],
];

for (const [what, args, message] of TOOLS) {
  test(`${what} is one clear line and exit 2, before any work`, async () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), ...args], { env: hermeticEnv(), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
}
