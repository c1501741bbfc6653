import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { EMBEDDED_KEYS, startEmbeddedMock } from '../../src/run/embedded';
import { hermeticEnv } from '../support/processes';

/**
 * On-premises: a run given only the deployment key passes against a conforming server and leaves
 * it as it was, sending the key in both forms the sources show (Basic <key>: on its own, and
 * Basic <organization id>:<key> in an organization) and never a partner key.
 */
test('a run with only the deployment key passes, uses both forms of it, and cleans up', { tag: '@heavy' }, async () => {
  test.slow();
  const forms = { alone: 0, scoped: 0, partner: 0 };
  const { mock } = await startEmbeddedMock({
    onRequest: (req) => {
      const [scheme, token = ''] = (req.headers.authorization ?? '').split(' ');
      const decoded = /^basic$/i.test(scheme) ? Buffer.from(token, 'base64').toString('utf8') : '';
      if (decoded === `${EMBEDDED_KEYS.deployment}:`) forms.alone++;
      else if (decoded.endsWith(`:${EMBEDDED_KEYS.deployment}`)) forms.scoped++;
      if (token === EMBEDDED_KEYS.partner || decoded.endsWith(`:${EMBEDDED_KEYS.partner}`)) forms.partner++;
    },
  });
  try {
    const before = mock.snapshot();
    const env = hermeticEnv({ POLYTOMIC_BASE_URL: mock.url, POLYTOMIC_DEPLOYMENT_KEY: EMBEDDED_KEYS.deployment, POLYTOMIC_FOREIGN_PARTNER_KEY: EMBEDDED_KEYS.foreignPartner, CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_RPS: '0', CONFORMANCE_ALLOW_OWNER_DELETE_PROBE: '1', POLYTOMIC_OWNER_ORG_ID: mock.seeds.partners.main.ownerOrgId });
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((ok) => run.on('exit', ok));
    const plain = stripVTControlCharacters(out);
    expect(code, plain.slice(-4000)).toBe(0);
    expect(plain).toMatch(/\nNo defects\.\n/);
    expect(forms.alone).toBeGreaterThan(50);
    expect(forms.scoped).toBeGreaterThan(50);
    expect(forms.partner).toBe(0);
    expect(mock.snapshot()).toEqual(before);
  } finally {
    await mock.close();
  }
});
