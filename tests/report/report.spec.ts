import { chromium, expect, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { hermeticEnv, startMockProcess } from '../support/processes';

/**
 * A run against a target with two faults renders an Allure report a person can read, opened from
 * disk in headless Chromium (Debian's): it opens on its 2 defects, counts the tests as the
 * terminal and JUnit do, lists the defects as global errors and files the failed tests under them;
 * a failed test shows its failing step and its curl. A screenshot is saved, and no key used by the
 * run appears in any file the run wrote.
 */
test.slow();
// One worker, one beforeAll: two renders of the same report directory would race.
test.describe.configure({ mode: 'serial' });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPORTS = 'reports/selftest/ui';
const RUN_ID = 'ct-uitest';
const RUN = `${REPORTS}/runs/${RUN_ID}`;
const REPORT = `${RUN}/allure-report`;
let mock: ChildProcess;
let url: string;
let terminal = '';

test.beforeAll(async () => {
  ({ child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'user_email_number,role_ids_omitted_when_null' }));
  const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_RPS: '0', CONFORMANCE_RUN_ID: RUN_ID, CONFORMANCE_REPORTS_DIR: REPORTS, CONFORMANCE_TARGET_PROFILE: 'embedded' });
  const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'users_get'], { env });
  run.stdout.on('data', (d) => (terminal += d));
  const code = await new Promise<number | null>((ok) => run.on('exit', ok));
  expect(code, 'the run against a faulty mock must fail').toBe(1);
});
test.afterAll(() => mock.kill());

test('the report opens from disk on its 2 defects, with the counts of the terminal and JUnit, and a failed test shows its failing step', async () => {
  test.skip(!existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  const plain = stripVTControlCharacters(terminal);
  expect(plain).toMatch(/Conformance summary\n\n2 defects:\n/);
  const [, passed, failed] = /\n(\d+) passed, (\d+) failed\n/.exec(plain)!;
  const junit = readFileSync(join(RUN, 'junit.xml'), 'utf8');
  expect(junit).toMatch(new RegExp(`<testsuites [^>]*tests="${Number(passed) + Number(failed)}" failures="${failed}"`));
  expect(readFileSync(join(RUN, 'defects.md'), 'utf8')).toMatch(/^# 2 defects\n/);
  expect(readFileSync(join(REPORT, 'index.html'), 'utf8')).not.toMatch(/googletagmanager/);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route(/googletagmanager/, (r) => r.abort());
    // One file, opened from disk as a person would: no server.
    await page.goto(pathToFileURL(resolve(REPORT, 'index.html')).href);
    await expect(page.getByText('2 defects · Polytomic API conformance')).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(`^Failed\\s*${failed}$`) }).first()).toBeVisible();
    await expect(page.getByRole('button', { name: new RegExp(`^Passed\\s*${passed}$`) }).first()).toBeVisible();
    await page.screenshot({ path: `${REPORTS}/report-home.png`, fullPage: false });
    // The defects, each once, with the command that reproduces it.
    await page.getByText(/^Global Errors/).first().click();
    await expect(page.getByText(/^defect 1 of 2: \[/)).toBeVisible();
    await expect(page.getByText(/^defect 2 of 2: \[/)).toBeVisible();
    await page.getByText(/^defect 1 of 2: \[/).click();
    await expect(page.getByText(/again: npm run repro -- 1 --run ct-uitest/).first()).toBeVisible();
    await page.screenshot({ path: `${REPORTS}/report-defects.png`, fullPage: false });
    // A failed test: its failing step shows failed, with the evidence.
    await page.getByRole('button', { name: /^Results/ }).click();
    await page.getByText('examples conform').first().click();
    await expect(page.getByText(/an answer in this step broke/).first()).toBeVisible();
    await expect(page.getByText(/curl -sS -i --compressed -X GET/).first()).toBeVisible();
    await page.screenshot({ path: `${REPORTS}/report-failure.png`, fullPage: false });
  } finally {
    await browser.close();
  }
});

test('no key used by the run appears in any file it wrote', () => {
  const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => statSync(f).isFile()) : []);
  const written = [...files(RUN), ...files('reports/ledger').filter((f) => f.includes(RUN_ID))];
  expect(written.length).toBeGreaterThan(10);
  const secrets = [/poly_partner_main_key/, /poly_user_[0-9a-f]{36}/, /poly_org_seed_key/];
  const leaks = written.filter((f) => secrets.some((s) => s.test(readFileSync(f, 'latin1'))));
  expect(leaks).toEqual([]);
});
