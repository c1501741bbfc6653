import { chromium, expect, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { renderReport } from '../../src/run/report/render';
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
const RESULTS = 'reports/ui-allure-results';
const REPORT = 'reports/ui-allure-report';
const RUN_ID = 'ct-uitest';
let mock: ChildProcess;
let url: string;

test.beforeAll(async () => {
  ({ child: mock, url } = await startMockProcess({ MOCK_FAULTS: 'user_email_number' }));
  const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_RPS: '0', CONFORMANCE_RUN_ID: RUN_ID, ALLURE_RESULTS_DIR: RESULTS });
  const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'users_get', '--output=reports/ui-test-results'], { env, stdio: 'ignore' });
  const code = await new Promise<number | null>((ok) => run.on('exit', ok));
  expect(code, 'the run against a faulty mock must fail').toBe(1);
  await renderReport(RESULTS, REPORT);
});
test.afterAll(() => mock.kill());

function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'index.html') : path;
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() })));
}

test('the report shows the suites and the failing case with its curl reproduction', async () => {
  test.skip(!existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  expect(readFileSync(join(REPORT, 'index.html'), 'utf8')).not.toMatch(/googletagmanager/);
  const site = await serve(REPORT);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route(/googletagmanager/, (r) => r.abort());
    await page.goto(site.url);
    // The tree: epic (API area) > feature (operation) > story (check id) > test.
    await expect(page.getByText('Current-org users').first()).toBeVisible();
    await expect(page.getByText('response_schema_conformance').first()).toBeVisible();
    await page.getByText('examples conform').first().click();
    await expect(page.getByText(/\[response_schema_conformance\] UserEnvelope\/data\/email must be string/).first()).toBeVisible();
    await expect(page.getByText(/curl -sS -i --compressed -X GET/).first()).toBeVisible();
    await expect(page.getByText(/^curl \(response_schema_conformance\)$/).first()).toBeVisible();
    await page.screenshot({ path: 'reports/report-failure.png', fullPage: false });
  } finally {
    await browser.close();
    site.close();
  }
});

test('no key used by the run appears in any file it wrote', () => {
  const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => statSync(f).isFile()) : []);
  const written = [...files(RESULTS), ...files(REPORT), ...files('reports/ui-test-results'), ...files('reports/ledger').filter((f) => f.includes(RUN_ID)), 'reports/drift.json', 'reports/drift.md', 'reports/defects.json', 'reports/defects.md'];
  expect(written.length).toBeGreaterThan(10);
  const secrets = [/poly_partner_main_key/, /poly_user_[0-9a-f]{36}/, /poly_org_seed_key/];
  const leaks = written.filter((f) => secrets.some((s) => s.test(readFileSync(f, 'latin1'))));
  expect(leaks).toEqual([]);
});
