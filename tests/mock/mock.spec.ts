import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { type RunningMock, startMock } from '../../mock/server';
import { DEFAULT_SPEC } from '../../src/model/spec/load';
import type { Node } from '../../src/model/spec/pointer';
import { startMockProcess } from '../support/processes';

/** The mock answers like the API: rules the conformance run relies on, and robustness. */
let mock: RunningMock;
const partner = { Authorization: 'Bearer poly_partner_main_key' };
const foreign = { Authorization: 'Bearer poly_partner_foreign_key' };
/** The organization-scoped key of an organization: Basic <organization id>:<partner key>. */
const orgBasic = (org: string, key = 'poly_partner_main_key') => ({ Authorization: `Basic ${Buffer.from(`${org}:${key}`).toString('base64')}` });

test.beforeAll(async () => {
  mock = await startMock({ port: 0 });
});
test.afterAll(async () => {
  await mock.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(mock.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

test('partners see their own organizations, owner first', async () => {
  const r = await call('GET', '/api/organizations', partner);
  expect(r.status).toBe(200);
  expect(r.json.data[0].id).toBe(mock.seeds.partners.main.ownerOrgId);
  expect(r.json.data.map((o: Node) => o.id)).not.toContain(mock.seeds.partners.foreign.ownerOrgId);
});

test('organization rules: unique names, SSO replaced whole, owner protected, real deletes', async () => {
  const created = await call('POST', '/api/organizations', partner, { name: 'mock-test-org', issuer: 'https://i.example.com', client_secret: 's3cret' });
  expect(created.status).toBe(200);
  expect(created.json.data).not.toHaveProperty('client_secret');
  expect((await call('POST', '/api/organizations', partner, { name: 'mock-test-org' })).status).toBe(409);
  const id = created.json.data.id;
  const updated = await call('PUT', `/api/organizations/${id}`, partner, { name: 'mock-test-org-2', sso_domain: 'x.example.com' });
  expect(updated.json.data).toEqual({ id, name: 'mock-test-org-2', sso_domain: 'x.example.com' });
  expect((await call('DELETE', `/api/organizations/${mock.seeds.partners.main.ownerOrgId}`, partner)).status).toBe(403);
  expect((await call('GET', `/api/organizations/${id}`, foreign)).status).toBe(404);
  const del = await call('DELETE', `/api/organizations/${id}`, partner);
  expect([del.status, del.json]).toEqual([204, undefined]);
  expect((await call('GET', `/api/organizations/${id}`, partner)).status).toBe(404);
});

test('user rules: validation 422s, duplicates 409, keys rotate with force', async () => {
  const org = mock.seeds.partners.main.childOrgId;
  const base = `/api/organizations/${org}/users`;
  const roles = mock.seeds.roles;
  expect((await call('POST', base, partner, {})).status).toBe(422);
  expect((await call('POST', base, partner, { email: 'a@b.co', role_ids: [] })).status).toBe(422);
  expect((await call('POST', base, partner, { email: 'a@b.co', role: 'admin', role_ids: [roles.Admin] })).status).toBe(422);
  expect((await call('POST', base, partner, { email: 'a@b.co', role_ids: ['00000000-0000-4000-8000-000000000000'] })).status).toBe(422);
  const u = await call('POST', base, partner, { email: 'Mock.User@Example.com', role: 'Admin' });
  expect(u.json.data).toMatchObject({ email: 'mock.user@example.com', role: 'admin', role_ids: null, organization_id: org });
  expect((await call('POST', base, partner, { email: 'mock.user@example.com' })).status).toBe(409);
  const k1 = (await call('POST', `${base}/${u.json.data.id}/keys`, partner)).json.data.value;
  const k2 = (await call('POST', `${base}/${u.json.data.id}/keys?force=true`, partner)).json.data.value;
  expect((await call('GET', '/api/organization', { Authorization: `Bearer ${k1}` })).status).toBe(401);
  expect((await call('GET', '/api/organization', { Authorization: `Bearer ${k2}` })).json.data.id).toBe(org);
  expect((await call('GET', '/api/organizations', { Authorization: `Bearer ${k2}` })).status).toBe(403);
  expect((await call('GET', '/api/organization/users', orgBasic(org))).json.data.map((x: Node) => x.organization_id)).toEqual(expect.arrayContaining([org]));
  expect((await call('GET', '/api/organization', partner)).status).toBe(403);
  const gone = await call('DELETE', `${base}/${u.json.data.id}`, partner);
  expect(gone.json.data.id).toBe(u.json.data.id);
  expect((await call('GET', '/api/organization', { Authorization: `Bearer ${k2}` })).status).toBe(401);
});

test('permission rules: roles per organization, built-ins protected, references checked, stale ids kept', async () => {
  const { childOrgId: org, ownerOrgId: other } = mock.seeds.partners.main;
  const key = orgBasic(org);
  const roles = (await call('GET', '/api/permissions/roles', key)).json.data;
  expect(roles.map((r: Node) => [r.name, r.system, r.organization_id])).toEqual([['Admin', true, org], ['Member', true, org]]);
  const otherRoles = (await call('GET', '/api/permissions/roles', orgBasic(other))).json.data.map((r: Node) => r.id);
  expect(otherRoles).not.toContain(roles[0].id);
  expect((await call('PUT', `/api/permissions/roles/${roles[0].id}`, key, { name: 'Boss' })).status).toBe(403);
  expect((await call('DELETE', `/api/permissions/roles/${roles[0].id}`, key)).status).toBe(403);
  const custom = (await call('POST', '/api/permissions/roles', key, { name: 'Custom' })).json.data;
  expect(custom).toMatchObject({ name: 'Custom', organization_id: org, system: false });
  expect((await call('GET', `/api/permissions/roles/${custom.id}`, orgBasic(other))).status).toBe(404);
  // A role of another organization is no role here.
  const users = `/api/organizations/${org}/users`;
  expect((await call('POST', users, partner, { email: 'x@y.co', role_ids: [otherRoles[0]] })).status).toBe(422);
  const holder = (await call('POST', users, partner, { email: 'holder@y.co', role_ids: [custom.id] })).json.data;
  const policy = (await call('POST', '/api/permissions/policies', key, { name: 'P', policy_actions: [{ action: 'read', role_ids: [custom.id] }] })).json.data;
  expect((await call('POST', '/api/permissions/policies', key, { name: 'Q', policy_actions: [{ action: 'read', role_ids: [otherRoles[0]] }] })).status).toBe(400);
  expect((await call('DELETE', `/api/permissions/roles/${custom.id}`, key)).status).toBe(204);
  expect((await call('GET', `/api/permissions/policies/${policy.id}`, key)).json.data.policy_actions).toEqual([{ action: 'read', role_ids: [custom.id] }]);
  expect((await call('GET', `${users}/${holder.id}`, partner)).json.data.role_ids).toBeNull();
  expect((await call('DELETE', `${users}/${holder.id}`, partner)).status).toBe(200);
  expect((await call('DELETE', `/api/permissions/policies/${policy.id}`, key)).status).toBe(204);
});

test("identity names each kind of caller; a key scoped to another partner's organization is refused", async () => {
  const org = mock.seeds.partners.main.childOrgId;
  expect((await call('GET', '/api/me', partner)).json.data).toMatchObject({ is_partner: true, is_user: false });
  expect((await call('GET', '/api/me', orgBasic(org))).json.data).toMatchObject({ is_organization: true, organization_id: org });
  const user = mock.seeds.users.main;
  const k = (await call('POST', `/api/organizations/${org}/users/${user}/keys`, partner)).json.data.value;
  expect((await call('GET', '/api/me', { Authorization: `Bearer ${k}` })).json.data).toMatchObject({ is_user: true, id: user, organization_id: org });
  expect((await call('GET', '/api/me')).status).toBe(401);
  expect((await call('GET', '/api/permissions/roles', orgBasic(org, 'poly_partner_foreign_key'))).status).toBe(401);
});

test('versions, methods and idempotency', async () => {
  expect((await call('GET', '/api/organizations', partner)).headers.get('x-polytomic-version')).toBe('2025-09-18');
  expect((await call('GET', '/api/organizations', { ...partner, 'X-Polytomic-Version': '2024-02-08' })).headers.get('x-polytomic-version')).toBe('2024-02-08');
  expect((await call('GET', '/api/organizations', { ...partner, 'X-Polytomic-Version': '2099-01-01' })).status).toBe(400);
  const patch = await call('PATCH', `/api/organizations/${mock.seeds.partners.main.childOrgId}`, partner, { name: 'x' });
  expect([patch.status, patch.headers.get('allow')]).toEqual([405, 'GET, PUT, DELETE']);
  const key = { ...partner, 'Idempotency-Key': 'mock-test-key-1' };
  const org = `/api/organizations/${mock.seeds.partners.main.childOrgId}/users`;
  const a = await call('POST', org, key, { email: 'idem@example.com' });
  const b = await call('POST', org, key, { email: 'idem@example.com' });
  expect(b).toEqual(a.status === 200 ? { ...b, json: a.json } : b);
  // The first outcome, whatever the repeat's body (the idempotency guide).
  expect((await call('POST', org, key, { email: 'other@example.com' })).json).toEqual(a.json);
  expect((await call('POST', org, { ...partner, 'Idempotency-Key': 'bad key' }, { email: 'x@example.com' })).status).toBe(400);
});

test('any request, however odd, gets a non-5xx answer with the version header, and errors are ApiError', async () => {
  const paths = fc.constantFrom('/api/organizations', '/api/organization', '/api/organization/users', `/api/organizations/${mock.seeds.partners.main.childOrgId}/users`, '/api/organizations/x/users/y/keys', '/nope', '/api/organizations/%zz');
  const bodies = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 40 }));
  const headers = fc.record({ Authorization: fc.constantFrom('Bearer poly_partner_main_key', 'Basic !!', 'Bearer', 'Token x', ''), 'X-Polytomic-Version': fc.constantFrom('2025-09-18', 'x', ''), 'Idempotency-Key': fc.constantFrom('', 'ok-key-12345', 'no') }, { requiredKeys: [] });
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), paths, headers, bodies, async (method, path, h, body) => {
      const clean = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ''));
      const res = await fetch(mock.url + path, { method, headers: clean as Record<string, string>, body: method === 'GET' || body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('x-polytomic-version')).toBeTruthy();
      if (res.status >= 400) expect(JSON.parse(text)).toMatchObject({ status: res.status, message: expect.any(String), key: expect.any(String) });
    }),
    { seed: 11, numRuns: 300 },
  );
});

test('npm run mock starts, serves, and stops cleanly on SIGTERM; an unknown fault is one line and exit 2', async () => {
  const { child, url } = await startMockProcess();
  expect((await fetch(`${url}/api/organizations`, { headers: partner })).status).toBe(200);
  const code = new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
  child.kill('SIGTERM');
  expect(await code).toBe(0);

  const bad = spawn(process.execPath, [require.resolve('tsx/cli'), 'mock/cli.ts'], { env: { ...process.env, PORT: '0', MOCK_FAULTS: 'nope' } });
  let err = '';
  bad.stderr.on('data', (d) => (err += d));
  const badCode = await new Promise<number | null>((ok) => bad.on('exit', (c) => ok(c)));
  expect(badCode).toBe(2);
  expect(err.trim().split('\n').filter((l) => !/nodedir/.test(l))).toHaveLength(1);
  expect(err).toMatch(/unknown mock fault nope/);
});

test('npm run mock serves the document CONFORMANCE_SPEC names', async ({}, testInfo) => {
  const doc = parse(readFileSync(DEFAULT_SPEC, 'utf8'));
  delete doc.paths['/api/me'];
  const file = testInfo.outputPath('without-identity.yaml');
  writeFileSync(file, stringify(doc));
  for (const [env, status] of [[{}, 200], [{ CONFORMANCE_SPEC: file }, 404]] as const) {
    const { child, url } = await startMockProcess(env);
    try {
      const r = await fetch(`${url}/api/me`, { headers: partner });
      expect(r.status, JSON.stringify(env)).toBe(status);
      if (status === 404) expect(await r.json()).toMatchObject({ status: 404 });
    } finally {
      child.kill('SIGTERM');
    }
  }
});
