import { expect, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { hermeticEnv, startMockProcess, stopProcess } from '../support/processes';
import { markLive } from '../../src/target/ledger';
import { runName } from '../../src/target/names';

/**
 * Safe against staging: a run — finished, killed halfway, or read-only — leaves the target
 * holding exactly what it held before, a partner crowded with organizations and users no run made
 * included; sweep removes only what runs left behind.
 */
test.describe.configure({ mode: 'serial' });
test.slow();

const PARTNER = { Authorization: 'Bearer poly_partner_main_key', 'X-Polytomic-Version': '2025-09-18' };
let mock: ChildProcess;
let url: string;

const liveEnv = (extra: Record<string, string> = {}) =>
  hermeticEnv({ ALLURE_RESULTS_DIR: 'reports/selftest/safety-allure-results', POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', POLYTOMIC_FOREIGN_PARTNER_KEY: 'poly_partner_foreign_key', CONFORMANCE_RPS: '0', ...extra });

const snapshot = async () => (await fetch(`${url}/__mock/snapshot`)).json();

function conformance(env: NodeJS.ProcessEnv, args: string[] = []) {
  // detached: the run gets its own process group, as in a terminal, so SIGINT reaches it all.
  return spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

const exited = (p: ChildProcess) => new Promise<number | null>((ok) => p.on('exit', (c) => ok(c)));

/** Everything a run printed, for the message of an assertion about it. */
function output(p: ChildProcess): () => string {
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  return () => stripVTControlCharacters(out).slice(-3000);
}

test.beforeAll(async () => {
  ({ child: mock, url } = await startMockProcess({ MOCK_VARIATIONS: 'crowded_partner' }));
});
test.afterAll(() => stopProcess(mock));

test('a full run against a live target leaves it exactly as it was', { tag: '@heavy' }, async () => {
  const before = await snapshot();
  const run = conformance(liveEnv(), ['--reporter=dot', '--output=reports/safety-test-results']);
  const printed = output(run);
  expect(await exited(run), printed()).toBe(0);
  expect(await snapshot()).toEqual(before);
});

test('a run interrupted halfway (Ctrl+C) still leaves the target as it was', { tag: '@heavy' }, async () => {
  const before = await snapshot();
  const run = conformance(liveEnv(), ['--reporter=line', '--output=reports/safety-test-results']);
  const printed = output(run);
  // Interrupt once a good share of the tests has run and resources exist.
  await new Promise<void>((ok) => {
    let out = '';
    run.stdout!.on('data', (d) => {
      out += d;
      if ((out.match(/\[\d+\/\d+\]/g) ?? []).length >= 40) ok();
    });
  });
  process.kill(-run.pid!, 'SIGINT');
  await exited(run);
  expect(await snapshot(), printed()).toEqual(before);
});

test('a read-only run sends no write and changes nothing', async () => {
  const before = await snapshot();
  const run = conformance(liveEnv({ POLYTOMIC_READ_ONLY: '1' }), ['--reporter=dot', '--output=reports/safety-test-results']);
  let out = '';
  run.stdout!.on('data', (d) => (out += d));
  expect(await exited(run), out).toBe(0);
  const plain = stripVTControlCharacters(out);
  expect(plain).toMatch(/\d+ skipped/);
  expect(plain).toMatch(/\d+ passed/);
  expect(plain).not.toMatch(/failed/);
  expect(await snapshot()).toEqual(before);
});

test('sweep deletes only runs\' generated names older than its age, never a live run\'s, and --dry-run deletes nothing', async () => {
  const post = (path: string, body: unknown) => fetch(url + path, { method: 'POST', headers: { ...PARTNER, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const before = await snapshot();
  const twoDaysAgo = Date.now() - 48 * 3_600_000;
  const leftover = (await post('/api/organizations', { name: runName('ct-dead00', '0', 'org', 1, twoDaysAgo) })).data;
  // Made a minute ago: a run on another machine may still be using it.
  const recent = (await post('/api/organizations', { name: runName('ct-dead01', '0', 'org', 1) })).data;
  // Old, but its run is in progress on this machine.
  const stopLive = markLive('ct-live00');
  const liveOrg = (await post('/api/organizations', { name: runName('ct-live00', '0', 'org', 1, twoDaysAgo) })).data;
  // Starts like a run's name, but is not one.
  const lookalike = (await post('/api/organizations', { name: 'ct-quarterly-report' })).data;
  const keep = (await post('/api/organizations', { name: 'customer-org' })).data;
  const strayUser = (await post(`/api/organizations/${keep.id}/users`, { email: `${runName('ct-dead00', '1', 'user', 2, twoDaysAgo)}.x@example.com` })).data;
  const realUser = (await post(`/api/organizations/${keep.id}/users`, { email: 'person@example.com' })).data;
  try {
    const dry = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sweep.ts', '--dry-run'], { env: liveEnv() });
    const said = output(dry);
    expect(await exited(dry)).toBe(0);
    expect(said()).toContain(`would delete organization ${leftover.name}`);
    expect(said()).toContain('dry run, 2 would be deleted');
    const unchanged = await snapshot();
    expect(unchanged.organizationIds).toContain(leftover.id);
    expect(unchanged.userIds).toContain(strayUser.id);

    const sweep = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sweep.ts'], { env: liveEnv() });
    const told = output(sweep);
    expect(await exited(sweep), told()).toBe(0);
    expect(told()).toMatch(/runs in progress left alone: .*ct-live00/);
    const after = await snapshot();
    expect(after.organizationIds).not.toContain(leftover.id);
    expect(after.userIds).not.toContain(strayUser.id);
    for (const kept of [recent, liveOrg, lookalike, keep]) expect(after.organizationIds).toContain(kept.id);
    expect(after.userIds).toContain(realUser.id);
  } finally {
    stopLive();
  }
  for (const o of [recent, liveOrg, lookalike, keep]) await fetch(`${url}/api/organizations/${o.id}`, { method: 'DELETE', headers: PARTNER });
  expect(await snapshot()).toEqual(before);
});
