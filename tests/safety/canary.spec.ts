import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from '../../mock/server';
import { hermeticEnv } from '../support/processes';

/**
 * No output of a failing run carries a credential or a part of one, whatever its kind: canary
 * values for the partner key, another partner's key and the deployment key (sent Bearer, Basic
 * with the key as its user name, and Basic scoped to an organization), and every user key the
 * run minted, are looked for in the terminal, every file of the run's directory (Allure results
 * and report, JUnit, defects and their reproductions, drift, coverage, Playwright's output) and
 * its ledgers: whole, as 8-character pieces, and inside every Basic token.
 */
const CANARIES = { partner: 'cnryPartnerQ7x9Lm2Rt5Vz', foreign: 'cnryForeignW3k8Np4Zs6Yd', deployment: 'cnryDeployH2j5Vb9Xc4Kf' };
const MINTED = /poly_user_[0-9a-f]{36}/;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** Where a canary, a piece of one, or a Basic token holding one shows in `text`. */
function leaks(text: string): string[] {
  const out: string[] = [];
  for (const [kind, value] of Object.entries(CANARIES)) {
    for (let i = 0; i + 8 <= value.length; i++) if (text.includes(value.slice(i, i + 8))) out.push(`${kind} key piece ${value.slice(i, i + 8)}`);
  }
  for (const m of text.matchAll(/Basic\s+([A-Za-z0-9+/=]{12,})/g)) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    if (Object.values(CANARIES).some((v) => decoded.includes(v)) || MINTED.test(decoded)) out.push(`a Basic token of a key: ${m[0]}`);
  }
  if (MINTED.test(text)) out.push(`a minted user key ${MINTED.exec(text)![0]}`);
  return out;
}

test('a failing run with a key of every kind leaves none of them, nor a piece of one, in any output', { tag: '@heavy' }, async ({}, testInfo) => {
  test.slow();
  const mock = await startMock({ port: 0, partnerKey: CANARIES.partner, foreignPartnerKey: CANARIES.foreign, deploymentKey: CANARIES.deployment, faults: ['user_email_number', 'unknown_token_accepted', 'identity_partner_as_user'] });
  const root = testInfo.outputPath('reports');
  try {
    const env = hermeticEnv({
      POLYTOMIC_BASE_URL: mock.url,
      POLYTOMIC_PARTNER_KEY: CANARIES.partner,
      POLYTOMIC_FOREIGN_PARTNER_KEY: CANARIES.foreign,
      POLYTOMIC_DEPLOYMENT_KEY: CANARIES.deployment,
      CONFORMANCE_TARGET_PROFILE: 'embedded',
      CONFORMANCE_RPS: '0',
      CONFORMANCE_REPORTS_DIR: root,
      CONFORMANCE_RUN_ID: 'ct-canary1',
    });
    // The tests that send every kind: the partner key and its scoped form, minted user keys, the deployment key in both forms.
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'Identity|Partner users|Current-org users|API keys|Tenant isolation'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    expect(await new Promise<number | null>((ok) => run.on('exit', ok)), out.slice(-3000)).toBe(1);
    expect(out).toMatch(/\n\d+ defects?[:,]/);
    const files = [...filesUnder(join(root, 'runs', 'ct-canary1')), ...filesUnder('reports/ledger').filter((f) => f.includes('ct-canary1'))];
    expect(files.length).toBeGreaterThan(50);
    const found = [{ file: 'the terminal', leaks: leaks(out) }, ...files.map((f) => ({ file: f, leaks: leaks(readFileSync(f, 'latin1')) }))].filter((x) => x.leaks.length);
    expect(found.map((x) => `${x.file}: ${x.leaks.slice(0, 3).join('; ')}`)).toEqual([]);
  } finally {
    await mock.close();
  }
});

test('the canary search finds a key whole, a piece of one, one inside a Basic token, and a minted key', () => {
  expect(leaks(`x ${CANARIES.deployment} y`).length).toBeGreaterThan(0);
  expect(leaks(`x ${CANARIES.partner.slice(5, 13)} y`)).toEqual([`partner key piece ${CANARIES.partner.slice(5, 13)}`]);
  const basic = `Authorization: Basic ${Buffer.from(`5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:${CANARIES.foreign}`).toString('base64')}`;
  expect(leaks(basic).some((l) => l.startsWith('a Basic token'))).toBe(true);
  expect(leaks('value poly_user_0123456789abcdef0123456789abcdef0123')).toEqual(['a minted user key poly_user_0123456789abcdef0123456789abcdef0123']);
  expect(leaks('Basic 5b0c6c1e-7d7f-4b8e-9a55-0d7e4c1f2a3b:$POLYTOMIC_PARTNER_KEY and <POLYTOMIC_DEPLOYMENT_KEY>')).toEqual([]);
});
