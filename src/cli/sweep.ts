import { readdirSync } from 'node:fs';
import { readConfig } from '../model/config';
import { loadContracts } from '../model/contracts';
import { UserError } from '../model/errors';
import { loadSpec } from '../model/spec/load';
import { cleanupRun, sweepMarked } from '../target/cleanup';
import { credential } from '../target/credentials';
import { HttpClient } from '../target/http';
import { carriesMarker, LEDGER_DIR } from '../target/ledger';
import { goneStatuses } from '../target/sandbox';
import { preflight } from './preflight';
import { main } from './run';

const USAGE = 'usage: npm run sweep -- [--prefix ct-] [--dry-run]';
/** Names the runs give what they create: `<run id>-w<worker>-<kind><n>`, run ids `ct-<6 hex>` by default. */
const DEFAULT_PREFIX = 'ct-';

function parseArgs(argv: string[]): { prefix: string; dryRun: boolean } {
  let prefix = DEFAULT_PREFIX;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') dryRun = true;
    else if (argv[i] === '--prefix' && argv[i + 1]) prefix = argv[++i];
    else throw new UserError(`unknown option ${argv[i]}; ${USAGE}`);
  }
  if (!/^[a-z0-9-]{3,24}$/.test(prefix)) throw new UserError(`--prefix ${prefix} must be 3-24 of a-z, 0-9 and - (it is matched against names the runs gave)`);
  return { prefix, dryRun };
}

/**
 * `npm run sweep`: deletes what earlier runs left behind: first what their ledgers still hold,
 * then every instance of a resource the spec declares whose name or email carries the run prefix.
 * Nothing else is ever touched.
 */
main('sweep', async () => {
  const { prefix, dryRun } = parseArgs(process.argv.slice(2));
  const cfg = readConfig();
  if (!cfg.baseUrl) throw new UserError('POLYTOMIC_BASE_URL is not set: sweep cleans a live target (the embedded mock starts empty every run)');
  await preflight(cfg);
  const client = new HttpClient(cfg.baseUrl, { rps: cfg.rps });
  const spec = loadSpec(cfg.specPath);
  const t = { client, partner: credential('partner', cfg.partnerKey!, 'POLYTOMIC_PARTNER_KEY'), version: cfg.apiVersion, gone: goneStatuses(loadContracts(cfg.contractsDir, cfg.profileName)), spec };
  let deleted = 0;
  const failed: string[] = [];
  try {
    const runIds = new Set<string>();
    try {
      for (const f of readdirSync(LEDGER_DIR)) if (f.startsWith(prefix) && f.endsWith('.jsonl')) runIds.add(f.split('.')[0]);
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
    const swept = await sweepMarked(t, spec, (name) => carriesMarker(name, prefix) || name.toLowerCase().startsWith(prefix), dryRun);
    for (const what of swept.deleted) process.stdout.write(`${dryRun ? 'would delete' : 'deleted'} ${what}\n`);
    deleted += swept.deleted.length;
    failed.push(...swept.failed);
  } finally {
    client.close();
  }
  process.stdout.write(`sweep: ${dryRun ? 'dry run' : `${deleted} deleted`}${failed.length ? `, ${failed.length} failed: ${failed.join('; ')}` : ''}\n`);
  return failed.length ? 1 : 0;
});
