import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SDK release gate blocks an SDK that sends a non-conformant request and passes one that
 * conforms (both fake SDK packages built here), and gives a verdict for the real polytomic@1.18.1.
 */
function fakeSdk(dir: string, updateMethod: 'PUT' | 'PATCH'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'polytomic', version: `0.0.0-fake-${updateMethod.toLowerCase()}`, main: 'index.js' }));
  writeFileSync(
    join(dir, 'index.js'),
    `
class PolytomicError extends Error { constructor(statusCode, body) { super('HTTP ' + statusCode); this.statusCode = statusCode; this.body = body; } }
class NotFoundError extends PolytomicError {}
class UnprocessableEntityError extends PolytomicError {}
const typed = { 404: NotFoundError, 422: UnprocessableEntityError };
class PolytomicClient {
  constructor(o) {
    const call = async (method, path, body) => {
      const res = await fetch(o.environment.replace(/\\/$/, '') + path, { method, headers: { Authorization: 'Bearer ' + o.token, 'X-Polytomic-Version': '2025-09-18', ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (!res.ok) throw new (typed[res.status] || PolytomicError)(res.status, json);
      return json;
    };
    this.organization = {
      list: () => call('GET', '/api/organizations'),
      create: (b) => call('POST', '/api/organizations', b),
      get: (id) => call('GET', '/api/organizations/' + id),
      update: (id, b) => call('${updateMethod}', '/api/organizations/' + id, b),
      delete: (id) => call('DELETE', '/api/organizations/' + id),
    };
    this.users = {
      list: (org) => call('GET', '/api/organizations/' + org + '/users'),
      create: (org, b) => call('POST', '/api/organizations/' + org + '/users', b),
      get: (id, org) => call('GET', '/api/organizations/' + org + '/users/' + id),
      update: (id, org, b) => call('PUT', '/api/organizations/' + org + '/users/' + id, b),
      delete: (id, org) => call('DELETE', '/api/organizations/' + org + '/users/' + id),
      createApiKey: (org, id, r) => call('POST', '/api/organizations/' + org + '/users/' + id + '/keys' + (r && r.force ? '?force=true' : '')),
    };
  }
}
module.exports = { PolytomicClient, PolytomicError, NotFoundError, UnprocessableEntityError };
`,
  );
  return dir;
}

function gate(sdk: string, out: string) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sdk-gate.ts', '--sdk', sdk, '--out', out], { encoding: 'utf8', env: { ...process.env, ALLURE_RESULTS_DIR: join(out, 'allure') }, timeout: 150_000 });
}

test('a fake SDK that updates organizations with PATCH is blocked, naming the finding', async ({}, testInfo) => {
  const out = testInfo.outputPath('out');
  const r = gate(fakeSdk(testInfo.outputPath('patch-sdk'), 'PATCH'), out);
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(r.stdout).toMatch(/BLOCK/);
  const report = JSON.parse(readFileSync(join(out, readdirJson(out)), 'utf8'));
  expect(report.verdict).toBe('BLOCK');
  expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'undeclared_method', blocking: true }));
});

test('a conformant fake SDK passes, with its coverage', async ({}, testInfo) => {
  const out = testInfo.outputPath('out');
  const r = gate(fakeSdk(testInfo.outputPath('put-sdk'), 'PUT'), out);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const report = JSON.parse(readFileSync(join(out, readdirJson(out)), 'utf8'));
  expect(report.verdict).toBe('PASS');
  expect(report.coverage.covered).toEqual(expect.arrayContaining(['organization_update', 'users_get', 'users_createApiKey']));
  expect(report.coverage.missing).toContain('organization_getCurrent');
});

test('the real polytomic@1.18.1 gets a verdict with coverage figures', async ({}, testInfo) => {
  test.slow();
  const out = testInfo.outputPath('out');
  const r = gate('polytomic@1.18.1', out);
  expect([0, 1], r.stdout + r.stderr).toContain(r.status);
  const report = JSON.parse(readFileSync(join(out, readdirJson(out)), 'utf8'));
  expect(['PASS', 'BLOCK']).toContain(report.verdict);
  expect(report.version).toBe('1.18.1');
  expect(report.coverage.covered.length).toBeGreaterThanOrEqual(10);
  expect(JSON.stringify(report)).not.toMatch(/poly_partner_main_key|poly_user_[0-9a-f]{36}/);
});

function readdirJson(dir: string): string {
  return readdirSync(dir).find((f) => f.startsWith('sdk-gate-') && f.endsWith('.json'))!;
}
