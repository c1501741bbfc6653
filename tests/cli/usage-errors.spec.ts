import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { budget, hermeticEnv, startMockProcess } from '../support/processes';

/**
 * A user mistake is one line that says what is wrong and what to do, a non-zero exit, within
 * seconds, and never a stack trace.
 */
function conformance(env: Record<string, string>) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts'], { env: hermeticEnv(env), encoding: 'utf8', timeout: budget(30_000) });
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
    expect(r.ms).toBeLessThan(budget(10_000));
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
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), ...args], { env: hermeticEnv(), encoding: 'utf8', timeout: budget(30_000) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(budget(10_000));
  });
}

/** A server that is not the API: it answers every request with `answer`, and remembers the methods it was sent. */
async function impostor(answer: { status: number; type: string; body: string; headers?: Record<string, string> }): Promise<{ url: string; methods: string[]; close(): void }> {
  const methods: string[] = [];
  const server = http.createServer((req, res) => {
    methods.push(req.method ?? '');
    res.writeHead(answer.status, { 'Content-Type': answer.type, ...answer.headers }).end(answer.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, methods, close: () => server.close() };
}

/** A conformance run as a user starts it, with a previous report in place: its stderr, exit code and time, and whether that report survived. */
async function run(env: Record<string, string>, args: string[] = [], via: 'tsx' | 'npm' = 'tsx') {
  const results = test.info().outputPath('previous-results');
  mkdirSync(results, { recursive: true });
  writeFileSync(`${results}/previous-result.json`, '{}');
  const started = Date.now();
  const cmd = via === 'npm' ? ['npm', ['run', '--silent', 'conformance', ...args]] : [process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', ...args]];
  const child = spawn(cmd[0] as string, cmd[1] as string[], { env: hermeticEnv({ ALLURE_RESULTS_DIR: results, ...env }) });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((ok) => child.on('exit', ok));
  return { status, stderr: stderr.split('\n').filter((l) => l && !/nodedir/.test(l)), ms: Date.now() - started, kept: existsSync(`${results}/previous-result.json`) };
}

const oneLine = (r: Awaited<ReturnType<typeof run>>, message: RegExp) => {
  expect(r.status, r.stderr.join('\n')).toBe(2);
  expect(r.stderr).toHaveLength(1);
  expect(r.stderr[0]).toMatch(message);
  expect(r.ms).toBeLessThan(budget(15_000));
  expect(r.kept).toBe(true);
};

test('a base URL that serves a web page is not taken for the API: one line, exit 2, nothing but a GET sent', async () => {
  const site = await impostor({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><html><body>Welcome</body></html>' });
  try {
    oneLine(await run({ POLYTOMIC_BASE_URL: site.url, POLYTOMIC_PARTNER_KEY: 'k' }), /answered 200 with an HTML page: it is a web site, not the API/);
    expect(site.methods.every((m) => m === 'GET')).toBe(true);
  } finally {
    site.close();
  }
});

test('a base URL that serves another JSON API is not taken for this one', async () => {
  const shaped = await impostor({ status: 200, type: 'application/json', body: '{"data": {"items": []}}', headers: { 'X-Polytomic-Version': '2025-09-18' } });
  const unversioned = await impostor({ status: 200, type: 'application/json', body: '{"items": [], "next": null}' });
  try {
    oneLine(await run({ POLYTOMIC_BASE_URL: shaped.url, POLYTOMIC_PARTNER_KEY: 'k' }), /answered JSON that is not the spec's OrganizationsEnvelope \(\/data must be array,null\): it looks like another API/);
    oneLine(await run({ POLYTOMIC_BASE_URL: unversioned.url, POLYTOMIC_PARTNER_KEY: 'k' }), /answered without X-Polytomic-Version, which every answer of this API carries: another API/);
    expect([...shaped.methods, ...unversioned.methods].every((m) => m === 'GET')).toBe(true);
  } finally {
    shaped.close();
    unversioned.close();
  }
});

test('a base URL ending in /api, and a version the target does not serve, are one line each', async () => {
  const { child, url } = await startMockProcess({ MOCK_FAULTS: 'older_version_rejected' });
  try {
    oneLine(await run({ POLYTOMIC_BASE_URL: `${url}/api`, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key' }), /POLYTOMIC_BASE_URL ends in \/api, which the API's paths already start with/);
    oneLine(await run({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', POLYTOMIC_API_VERSION: '2024-02-08' }), /refuses X-Polytomic-Version: 2024-02-08 \(HTTP 400\) and serves the request without it .*set POLYTOMIC_API_VERSION/);
  } finally {
    child.kill();
  }
});

test('a bad number of workers, a spec with a $ref to nothing and a version the API never had are one line each', async ({}, testInfo) => {
  oneLine(await run({ CONFORMANCE_WORKERS: 'abc' }), /CONFORMANCE_WORKERS=abc is not a whole number >= 1/);
  const spec = testInfo.outputPath('dangling.yaml');
  writeFileSync(spec, readFileSync('specs/polytomic-2025-09-18.yaml', 'utf8').replace("{ $ref: '#/components/schemas/UserEnvelope' }", "{ $ref: '#/components/schemas/UserEnvelop' }"));
  oneLine(await run({ CONFORMANCE_SPEC: spec }), /is broken: the \$ref #\/components\/schemas\/UserEnvelop at #\/components\/responses\/User\/content\/application~1json\/schema resolves to nothing; fix the reference/);
  oneLine(await run({ POLYTOMIC_API_VERSION: '2019-01-01' }), /POLYTOMIC_API_VERSION=2019-01-01 is not a version of the API/);
});

test('npm run conformance -g users (without --) and an unknown option are one line each, naming what was meant', async () => {
  oneLine(await run({}, ['-g', 'users'], 'npm'), /npm took -g for its own option \(global\).* npm run conformance -- -g users/);
  oneLine(await run({}, ['users']), /no test file of tests\/conformance matches "users"; to run the tests whose titles match it, use npm run conformance -- -g "users"/);
  oneLine(await run({}, ['--grpe', 'users']), /--grpe is not an option of npm run conformance/);
});
