import { readdirSync } from 'node:fs';
import { readConfig } from '../model/config';
import { loadContracts } from '../model/contracts';
import { UserError } from '../model/errors';
import { cleanupRun, leftBy, sweepMarked } from '../target/cleanup';
import { ownCredential } from '../target/target';
import { HttpClient } from '../target/http';
import { LEDGER_DIR, liveRuns } from '../target/ledger';
import { parseRunName } from '../target/names';
import { goneStatuses } from '../target/sandbox';
import { checkedInputs, preflight } from './preflight';
import { main } from './run';

const USAGE = 'usage: npm run sweep -- [--prefix ct-] [--min-age-hours 6] [--dry-run]';
/** Run ids start `ct-` by default (CONFORMANCE_RUN_ID may say otherwise). */
const DEFAULT_PREFIX = 'ct-';
/**
 * Runs end within their CI timeouts (an hour for the nightly job): six hours is well past the end
 * of any run that could still be creating and deleting, on any machine.
 */
const DEFAULT_MIN_AGE_HOURS = 6;

interface Args {
  prefix: string;
  minAgeHours: number;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { prefix: DEFAULT_PREFIX, minAgeHours: DEFAULT_MIN_AGE_HOURS, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') out.dryRun = true;
    else if (argv[i] === '--prefix' && argv[i + 1]) out.prefix = argv[++i];
    else if (argv[i] === '--min-age-hours' && argv[i + 1]) {
      out.minAgeHours = Number(argv[++i]);
      if (!Number.isFinite(out.minAgeHours) || out.minAgeHours < 0) throw new UserError(`--min-age-hours ${argv[i]} must be a number of hours, 0 or more; ${USAGE}`);
    } else throw new UserError(`unknown or incomplete option ${argv[i]}; ${USAGE}`);
  }
  if (!/^[a-z0-9-]{2,24}$/.test(out.prefix)) throw new UserError(`--prefix ${out.prefix} must be 2-24 of a-z, 0-9 and - (it is matched against the run ids in names runs gave)`);
  return out;
}

/**
 * `npm run sweep`: deletes what earlier runs left behind: first what this machine's ledgers still
 * hold, then every instance of a resource the spec declares whose name is a run's generated name
 * (`<run id>-<stamp>-w<worker>-<kind><n>`, the run id starting with the prefix) made more than
 * `--min-age-hours` ago. A run in progress on this machine is never touched; one on another
 * machine is protected by the age. `--dry-run` lists what it would delete and deletes nothing.
 */
main('sweep', async () => {
  const { prefix, minAgeHours, dryRun } = parseArgs(process.argv.slice(2));
  const cfg = readConfig();
  if (!cfg.baseUrl) throw new UserError('POLYTOMIC_BASE_URL is not set: sweep cleans a live target (the embedded mock starts empty every run)');
  const spec = checkedInputs(cfg);
  await preflight(cfg, spec);
  const client = new HttpClient(cfg.baseUrl, { rps: cfg.rps });
  const contracts = loadContracts(cfg.contractsDir, cfg.profileName);
  const t = { client, own: ownCredential(cfg, spec), version: { header: contracts.invariants.versions.header, value: cfg.apiVersion }, gone: goneStatuses(contracts), spec };
  const live = liveRuns();
  const cutoff = Date.now() - minAgeHours * 3_600_000;
  const sweepable = (name: string) => {
    const n = parseRunName(name);
    return !!n && n.runId.startsWith(prefix) && !live.has(n.runId) && n.madeAt <= cutoff;
  };
  let deleted = 0;
  const failed: string[] = [];
  try {
    const runIds = new Set<string>();
    try {
      for (const f of readdirSync(LEDGER_DIR)) if (f.startsWith(prefix) && f.endsWith('.jsonl') && !live.has(f.split('.')[0])) runIds.add(f.split('.')[0]);
    } catch {
      // No ledgers: nothing ran here before.
    }
    if (!dryRun) {
      for (const runId of runIds) {
        const r = await cleanupRun(t, runId);
        deleted += r.deleted;
        failed.push(...r.failed);
      }
    }
    // A dry run lists each instance a ledger holds (reads only), and then what names alone find.
    const listed = new Set<string>();
    if (dryRun) {
      for (const runId of runIds) {
        for (const e of await leftBy(t, runId)) {
          listed.add(e.id);
          process.stdout.write(`would delete ${e.kind} ${e.id} (${e.deletePath}), left by run ${runId}\n`);
          deleted++;
        }
      }
    }
    const swept = await sweepMarked(t, spec, sweepable, dryRun);
    for (const { what, id } of swept.deleted) {
      if (listed.has(id)) continue;
      process.stdout.write(`${dryRun ? 'would delete' : 'deleted'} ${what}\n`);
      deleted++;
    }
    failed.push(...swept.failed);
  } finally {
    client.close();
  }
  const spared = live.size ? `; runs in progress left alone: ${[...live].join(', ')}` : '';
  process.stdout.write(`sweep: ${dryRun ? `dry run, ${deleted} would be deleted` : `${deleted} deleted`} (names made over ${minAgeHours} h ago, run ids ${prefix}*${spared})${failed.length ? `, ${failed.length} failed: ${failed.join('; ')}` : ''}\n`);
  return failed.length ? 1 : 0;
});
