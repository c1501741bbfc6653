import { chromium, expect, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hermeticEnv, startMockProcess } from '../support/processes';

/**
 * A run with a failure renders an Allure report a person can read: the failing case with its
 * curl reproduction shows in headless Chromium (Debian's), a screenshot is saved, and no key used
 * by the run appears in any file the run wrote.
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

test.beforeAll(async () => {
  ({ child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'user_email_number' }));
  const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_RPS: '0', CONFORMANCE_RUN_ID: RUN_ID, CONFORMANCE_REPORTS_DIR: REPORTS });
  const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'users_get'], { env, stdio: 'ignore' });
  const code = await new Promise<number | null>((ok) => run.on('exit', ok));
  expect(code, 'the run against a faulty mock must fail').toBe(1);
});
test.afterAll(() => mock.kill());

test('the report opens from disk and shows the suites and the failing case with its curl reproduction', async () => {
  test.skip(!existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  expect(readFileSync(join(REPORT, 'index.html'), 'utf8')).not.toMatch(/googletagmanager/);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route(/googletagmanager/, (r) => r.abort());
    // One file, opened from disk as a person would: no server.
    await page.goto(pathToFileURL(resolve(REPORT, 'index.html')).href);
    // The tree: epic (API area) > feature (operation) > story (check id) > test.
    await expect(page.getByText('Current-org users').first()).toBeVisible();
    await expect(page.getByText('response_schema_conformance').first()).toBeVisible();
    await page.getByText('examples conform').first().click();
    await expect(page.getByText(/\[response_schema_conformance\] UserEnvelope\/data\/email must be string/).first()).toBeVisible();
    await expect(page.getByText(/curl -sS -i --compressed -X GET/).first()).toBeVisible();
    await expect(page.getByText(/^curl \(response_schema_conformance\)$/).first()).toBeVisible();
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
