import { expect, test } from '@playwright/test';
import { redactRequest, redactResponse, secrets, toCurl } from '../../src/target/redact';
import { authHeaders, keyCredential, orgScoped } from '../../src/target/credentials';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';

test.describe('secret redaction', () => {
  const spec = loadSpec(DEFAULT_SPEC);
  const partner = keyCredential(spec, 'partner', 'pk_live_partner_secret_123', 'POLYTOMIC_PARTNER_KEY');
  const deployment = keyCredential(spec, 'deployment', 'dk_live_deployment_secret_456', 'POLYTOMIC_DEPLOYMENT_KEY');
  const org = orgScoped(partner, '5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b');
  const base = new URL('https://api.example.com');

  test('curl names credentials by environment variable, never by value', () => {
    const bearer = toCurl(base, { method: 'GET', path: '/api/organizations', headers: authHeaders(partner) });
    expect(bearer).toBe(`curl -sS -i --compressed -X GET 'https://api.example.com/api/organizations' -H "Authorization: Bearer $POLYTOMIC_PARTNER_KEY"`);
    const basic = toCurl(base, { method: 'POST', path: '/api/organization/users', headers: authHeaders(org), body: { email: "o'neil@example.com" } });
    // The organization id is no secret and the curl needs it: only the partner key is a variable.
    expect(basic).toContain('-u "5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:$POLYTOMIC_PARTNER_KEY"');
    expect(redactRequest({ method: 'GET', path: '/', headers: authHeaders(org) }).headers.Authorization).toBe('Basic 5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:$POLYTOMIC_PARTNER_KEY');
    // The encoded header value never reaches text either.
    expect(secrets.redactText(`echo ${authHeaders(org).Authorization}`)).not.toContain(authHeaders(org).Authorization.slice(6));
    expect(basic).toContain(`--data-raw '{"email":"o'\\''neil@example.com"}'`);
    expect(bearer + basic).not.toContain('secret');
  });

  test('requests and responses lose every key, token and client secret', () => {
    const minted = 'poly_user_minted_key_789';
    secrets.add(minted, 'USER_KEY');
    const req = redactRequest({
      method: 'PUT',
      path: '/x',
      headers: { ...authHeaders(partner), Cookie: 'session=abc' },
      body: { name: 'n', client_secret: 'oidc-secret-value' },
    });
    const res = redactResponse({
      status: 200,
      headers: { 'content-type': 'application/json' },
      text: '',
      json: { data: { value: minted }, echo: `token ${minted} inside text` },
      elapsedMs: 1,
    });
    const all = JSON.stringify([req, res]);
    for (const s of ['pk_live_partner_secret_123', 'oidc-secret-value', minted, 'session=abc']) expect(all).not.toContain(s);
    expect(req.headers.Authorization).toBe('Bearer $POLYTOMIC_PARTNER_KEY');
    expect(all).toContain('<USER_KEY>');
  });

  test('a deployment key, on its own and scoped, is named by its variable in either place of a Basic credential', () => {
    const alone = toCurl(base, { method: 'GET', path: '/api/organizations', headers: authHeaders(deployment) });
    expect(alone).toContain('-u "$POLYTOMIC_DEPLOYMENT_KEY:"');
    const scoped = orgScoped(deployment, '5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b');
    expect(scoped.kind).toBe('deployment_org');
    expect(toCurl(base, { method: 'GET', path: '/api/permissions/roles', headers: authHeaders(scoped) })).toContain('-u "5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:$POLYTOMIC_DEPLOYMENT_KEY"');
    const all = JSON.stringify([redactRequest({ method: 'GET', path: '/', headers: authHeaders(deployment) }), redactRequest({ method: 'GET', path: '/', headers: authHeaders(scoped) })]);
    expect(all).not.toContain('dk_live_deployment_secret_456');
    expect(all).not.toContain(authHeaders(deployment).Authorization.slice(6));
  });

  test('a Basic user name the run does not know is shown only when it is plainly an id', () => {
    const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;
    expect(redactRequest({ method: 'GET', path: '/', headers: { authorization: basic('some-unregistered-deployment-key') } }).headers.authorization).toBe('Basic <redacted>:');
    expect(redactRequest({ method: 'GET', path: '/', headers: { authorization: basic('5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b') } }).headers.authorization).toBe('Basic 5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:');
  });

  test('an unknown bearer token is redacted too', () => {
    expect(redactRequest({ method: 'GET', path: '/', headers: { authorization: 'Bearer whatever-token' } }).headers.authorization).toBe('Bearer <redacted>');
  });
});
