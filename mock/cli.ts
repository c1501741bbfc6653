import { UserError } from '../src/model/errors';
import { DEFAULT_KEYS, startMock } from './server';

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new UserError(`${name}=${raw} is not a whole number`);
  return Number(raw);
}

/** `npm run mock`: the embedded mock as a standalone server. */
async function main(): Promise<void> {
  const keys = {
    partnerKey: process.env.POLYTOMIC_PARTNER_KEY || DEFAULT_KEYS.partner,
    foreignPartnerKey: process.env.POLYTOMIC_FOREIGN_PARTNER_KEY || DEFAULT_KEYS.foreignPartner,
    deploymentKey: process.env.POLYTOMIC_DEPLOYMENT_KEY || DEFAULT_KEYS.deployment,
  };
  const rps = num('MOCK_RATE_LIMIT_RPS', 0);
  const mock = await startMock({
    port: num('PORT', 8787),
    host: process.env.HOST || '127.0.0.1',
    ...keys,
    faults: (process.env.MOCK_FAULTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    variations: (process.env.MOCK_VARIATIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    latencyMs: num('MOCK_LATENCY_MS', 0),
    profile: process.env.MOCK_PROFILE || undefined,
    ...(rps ? { rateLimit: { rps } } : {}),
  });
  // Keys are shown only when they are the documented defaults; a key given by env stays secret.
  const shown = (value: string, fallback: string) => (value === fallback ? `${value} (default)` : '(from environment)');
  const { main: p, foreign: f } = mock.seeds.partners;
  process.stdout.write(
    `${[
      `polytomic mock listening on ${mock.url}`,
      `  target profile:       ${mock.profile} (contracts/targets/${mock.profile}.yaml)`,
      `  partner key:          ${shown(keys.partnerKey, DEFAULT_KEYS.partner)}  owner org ${p.ownerOrgId}, child org ${p.childOrgId}`,
      `  foreign partner key:  ${shown(keys.foreignPartnerKey, DEFAULT_KEYS.foreignPartner)}  owner org ${f.ownerOrgId}, child org ${f.childOrgId}`,
      `  org-scoped key:       Basic <organization id>:<partner key>, e.g. curl -u ${p.childOrgId}:<partner key>`,
      `  deployment key:       ${shown(keys.deploymentKey, DEFAULT_KEYS.deployment)}  as the main partner: Basic <deployment key>: (curl -u <key>:), or <organization id>:<deployment key>`,
      `  seeded users:         ${mock.seeds.users.main} (main child org), ${mock.seeds.users.foreign} (foreign child org)`,
      `  built-in roles:       ${Object.entries(mock.seeds.roles).map(([k, v]) => `${k}=${v}`).join(' ')} (main child org)`,
      process.env.MOCK_FAULTS ? `  faults:               ${process.env.MOCK_FAULTS}` : '',
      process.env.MOCK_VARIATIONS ? `  variations:           ${process.env.MOCK_VARIATIONS}` : '',
    ].filter(Boolean).join('\n')}\n`,
  );
  const stop = () => mock.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`mock: ${e instanceof UserError ? e.message : `failed to start: ${e?.message ?? e}`}\n`);
  process.exit(2);
});
