import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readConfig, withoutSuiteSettings } from '../model/config';
import { loadContracts, loadProfile } from '../model/contracts';
import { UserError } from '../model/errors';
import { calibrate, proposal } from '../run/calibrate/calibrate';
import { startEmbeddedMock } from '../run/embedded';
import { openTarget } from '../target/target';
import { checkedInputs, preflight } from './preflight';
import { main } from './run';

const USAGE = 'usage: npm run calibrate -- [--name NAME] [--base PROFILE] [--out FILE] [--force] [--mock PROFILE]';

function parseArgs(argv: string[]): { name?: string; base: string; out?: string; force: boolean; mock?: string } {
  const out: { name?: string; base: string; out?: string; force: boolean; mock?: string } = { base: 'polytomic', force: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--force') out.force = true;
    else if (['--name', '--base', '--out', '--mock'].includes(flag) && value && !value.startsWith('--')) {
      out[flag.slice(2) as 'name' | 'base' | 'out' | 'mock'] = value;
      i++;
    } else throw new UserError(`unknown or incomplete option ${flag}; ${USAGE}`);
  }
  if (out.name && !/^[a-z0-9][a-z0-9._-]*$/.test(out.name)) throw new UserError(`--name ${out.name} must be lower-case letters, digits, '.', '_' or '-' (it names contracts/targets/<name>.yaml)`);
  return out;
}

/**
 * `npm run calibrate`: probes the target (POLYTOMIC_BASE_URL, or with --mock the embedded mock
 * started as a profile) for its answers to the open questions, and writes a proposed target
 * profile with the evidence of each answer, for a person to review and commit.
 */
main('calibrate', async () => {
  const args = parseArgs(process.argv.slice(2));
  let env: NodeJS.ProcessEnv = process.env;
  let stop: (() => Promise<void>) | undefined;
  if (args.mock) {
    // The embedded mock takes only its own settings: a live target's exported ones never reach it.
    const { mock, env: mockEnv } = await startEmbeddedMock({ profile: args.mock });
    stop = () => mock.close();
    env = { ...withoutSuiteSettings(), ...mockEnv };
  }
  try {
    const cfg = readConfig({ ...env, CONFORMANCE_TARGET_PROFILE: args.base });
    if (!cfg.baseUrl) throw new UserError(`calibrate probes a live target: set POLYTOMIC_BASE_URL (and POLYTOMIC_PARTNER_KEY), or use --mock PROFILE; ${USAGE}`);
    await preflight(cfg, checkedInputs(cfg));
    const contracts = loadContracts(cfg.contractsDir, args.base);
    const name = args.name ?? (args.mock ? `calibrated-${args.mock}` : new URL(cfg.baseUrl).hostname.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    const file = args.out ?? join(contracts.dir, 'targets', `${name}.yaml`);
    if (existsSync(file) && !args.force) throw new UserError(`${file} exists; pass --force to replace it, or --name/--out to write another`);
    const target = openTarget('calibrate', { ...env, CONFORMANCE_TARGET_PROFILE: args.base });
    try {
      const c = await calibrate(target);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, proposal(c, contracts.profile, contracts.questions, name));
      if (!args.out) loadProfile(contracts.dir, name, contracts.questions);
      const width = Math.max(...c.results.map((r) => r.question.length));
      for (const r of c.results) {
        const what = r.answer !== undefined ? String(r.answer) : r.outside !== undefined ? `${r.outside}  <- no conforming server answers this: a defect` : `(not calibrated: ${r.skipped})`;
        process.stdout.write(`  ${r.question.padEnd(width)}  ${what}\n`);
      }
      process.stdout.write(`calibrate: ${c.results.filter((r) => r.answer !== undefined).length}/${c.results.length} questions answered in ${c.requests} requests, ${c.seconds.toFixed(1)} s; proposed profile: ${file}\n`);
      return c.results.some((r) => r.outside !== undefined) ? 1 : 0;
    } finally {
      target.client.close();
    }
  } finally {
    await stop?.();
  }
});
