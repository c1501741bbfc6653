import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadContracts, loadProfile } from '../../src/model/contracts';
import { calibrate, proposal } from '../../src/run/calibrate/calibrate';
import { unjudged } from '../../src/run/calibrate/unjudged';
import { startEmbeddedMock } from '../../src/run/embedded';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { wholeSuite } from '../../src/run/selfcheck/suite';
import { openTarget } from '../../src/target/target';
import { hermeticEnv } from '../support/processes';

/**
 * `npm run calibrate` recovers the profile a server follows: against the mock started as each
 * profile it proposes exactly that profile's answers, each with the exchange that showed it; it
 * leaves the target as it found it; and the proposal is a profile the suite passes that server by.
 */
test.describe.configure({ mode: 'parallel' });

/** Questions no calibration may settle: probing them would delete the owner organization, or needs a 429, or no request shows them. */
const NOT_CALIBRATED = ['owner_org_delete_status', 'rate_limit_retry_after', 'conflict_runs_request'];
/** Questions only a working user key shows, not calibrated where new users' keys do not work yet. */
const NEED_USER_KEYS = ['api_key_repeat_without_force', 'idempotency_scope'];

for (const name of ['embedded', 'variant-a', 'variant-b', 'variant-c']) {
  test(`calibrating the mock started as ${name} proposes ${name}, with evidence`, { tag: '@heavy' }, async ({}, testInfo) => {
    const expected = loadContracts(undefined, name).profile;
    const { mock, env } = await startEmbeddedMock({ profile: name });
    const before = mock.snapshot();
    const target = openTarget('calibrate', { ...env, CONFORMANCE_TARGET_PROFILE: 'polytomic', CONFORMANCE_RUN_ID: 'ct-caltest' });
    const c = await calibrate(target).finally(() => target.client.close());
    const after = mock.snapshot();
    await mock.close();

    const skipped = [...NOT_CALIBRATED, ...(expected.first('new_user_key_works') === 'no' ? NEED_USER_KEYS : [])];
    expect(c.results.filter((r) => r.skipped).map((r) => r.question).sort()).toEqual(skipped.sort());
    expect(c.results.filter((r) => r.outside !== undefined)).toEqual([]);
    for (const r of c.results.filter((x) => !x.skipped)) {
      expect(String(r.answer), r.question).toBe(String(expected.first(r.question)));
      expect(r.evidence?.request, r.question).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/api\//);
      expect(r.evidence?.response, r.question).toMatch(/^\d{3}/);
    }
    expect(c.requests).toBeLessThan(110);
    expect(after).toEqual(before);

    // The proposal is a profile: written beside the others it loads, and the suite passes the server by it.
    const dir = testInfo.outputPath('contracts');
    cpSync(loadContracts().dir, dir, { recursive: true });
    const base = loadContracts(dir, 'polytomic');
    writeFileSync(join(dir, 'targets', 'proposed.yaml'), proposal(c, base.profile, base.questions, 'proposed'));
    const proposed = loadProfile(dir, 'proposed', base.questions);
    expect(proposed.entry('default_version').basis.kind).toBe('observed');
    expect(proposed.entry('owner_org_delete_status').basis.kind).toBe('guess');
    // Under the proposal no rule is left unjudged that calibration could settle on this server.
    const left = unjudged(loadContracts(dir, 'proposed'), loadSpec(DEFAULT_SPEC)).rules.filter((r) => r.calibrates === true).map((r) => r.question);
    expect(left.filter((q) => !skipped.includes(q))).toEqual([]);
    const run = await runAgainstMock({ mock: { profile: name }, env: { CONFORMANCE_CONTRACTS_DIR: dir, CONFORMANCE_TARGET_PROFILE: 'proposed' } }, (e) => wholeSuite(e));
    expect(run.findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
  });
}

test('a target that answers outside every conforming answer gets no such answer in its profile: it is reported', async () => {
  const { mock, env } = await startEmbeddedMock({ faults: ['unsupported_version_accepted'] });
  const target = openTarget('calibrate', { ...env, CONFORMANCE_TARGET_PROFILE: 'polytomic' });
  const c = await calibrate(target).finally(() => target.client.close());
  await mock.close();
  const base = loadContracts(undefined, 'polytomic');
  expect(c.results.find((r) => r.question === 'unsupported_version_status')).toMatchObject({ outside: 200 });
  const text = proposal(c, base.profile, base.questions, 'x');
  expect(text).toMatch(/unsupported_version_status: 200 \(GET \/api\/organizations \(X-Polytomic-Version: 1999-01-01\) -> 200/);
  expect(parse(text).answers.unsupported_version_status.accept).toEqual(base.profile.accepted('unsupported_version_status'));
});

test('npm run calibrate writes the proposal, refuses to overwrite it, and names a bad option in one line', async ({}, testInfo) => {
  const out = testInfo.outputPath('proposed.yaml');
  mkdirSync(testInfo.outputPath(), { recursive: true });
  const run = (...args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/calibrate.ts', ...args], { env: hermeticEnv({ POLYTOMIC_PARTNER_KEY: 'exported-for-staging' }), encoding: 'utf8', timeout: 60_000 });
  const first = run('--mock', 'variant-b', '--out', out);
  expect(first.status, first.stderr).toBe(0);
  const total = loadContracts().questions.size;
  expect(first.stdout).toContain(`calibrate: ${total - NOT_CALIBRATED.length}/${total} questions answered in `);
  expect(parse(readFileSync(out, 'utf8')).answers.org_delete_status.accept).toEqual([200]);
  const again = run('--mock', 'variant-b', '--out', out);
  expect(again.status).toBe(2);
  expect(again.stderr.trim()).toMatch(/exists; pass --force/);
  const bad = run('--nme', 'x');
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  expect(bad.stderr).toMatch(/unknown or incomplete option --nme/);
});
