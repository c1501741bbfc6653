import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../model/config';
import { UserError } from '../model/errors';
import { markLive, removeLedgers } from '../target/ledger';
import { suiteEnv } from '../run/judged-sandbox';
import { replayReproduction } from '../run/replay';
import { type Defect, occurrences, type Verdicts } from '../run/report/defects';
import { latestRun, reportsRoot, runPaths, shown } from '../run/report/paths';
import { openSession } from '../run/session';
import { checkedInputs, preflight } from './preflight';
import { main } from './run';

const USAGE = 'usage: npm run repro -- [N ...] [--run RUN]  (defect numbers as the run listed them; default every one, of reports/latest)';

function parseArgs(argv: string[]): { numbers: number[]; run?: string } {
  const out: { numbers: number[]; run?: string } = { numbers: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--run' && argv[i + 1] && !argv[i + 1].startsWith('-')) out.run = argv[++i];
    else if (/^[1-9]\d*$/.test(argv[i])) out.numbers.push(Number(argv[i]));
    else throw new UserError(`unknown or incomplete option ${argv[i]}; ${USAGE}`);
  }
  return out;
}

/** The defects of a run, as its defects.json holds them. */
function defectsOf(run: string | undefined): { name: string; defects: Defect[] } {
  const paths = run ? runPaths(run) : latestRun();
  if (!paths) throw new UserError(`no run to reproduce: ${shown(join(reportsRoot(), 'latest'))} names none; run npm run conformance first, or pass --run RUN`);
  const file = join(paths.dir, 'defects.json');
  if (!existsSync(file)) throw new UserError(`${shown(file)} does not exist: ${run ? `no run ${run} finished in ${shown(reportsRoot())}/runs/` : 'the latest run wrote no defects'}`);
  try {
    return { name: run ?? paths.dir.split(/[\\/]/).at(-1)!, defects: (JSON.parse(readFileSync(file, 'utf8')) as Verdicts).defects };
  } catch (e) {
    throw new UserError(`${shown(file)} is not a run's defects (${e instanceof Error ? e.message : e}); run npm run conformance again`);
  }
}

/**
 * `npm run repro`: reproduces a run's defects on the configured target, after the run. Each
 * defect's reproduction makes what its request needs (instances, a user key minted first) with
 * fresh names, sends it, judges the answer with every check, and deletes what it made, proving
 * each gone. Exit code: 1 while a defect still shows, 0 when none does, 2 a usage mistake.
 */
main('repro', async () => {
  const args = parseArgs(process.argv.slice(2));
  const { name, defects } = defectsOf(args.run);
  const chosen = args.numbers.length ? args.numbers : defects.map((_, i) => i + 1);
  for (const n of chosen) if (!defects[n - 1]) throw new UserError(`run ${name} has ${defects.length} defect${defects.length === 1 ? '' : 's'}; there is no defect ${n}`);
  const cfg = readConfig();
  if (!cfg.baseUrl) throw new UserError('repro sends to a live target: set POLYTOMIC_BASE_URL and POLYTOMIC_PARTNER_KEY (the embedded mock of a run is gone with it)');
  await preflight(cfg, checkedInputs(cfg));
  const session = openSession('repro');
  const unmarkLive = markLive(cfg.runId);
  let shows = 0;
  const left: string[] = [];
  try {
    process.stdout.write(`repro: run ${name}, ${chosen.length} defect${chosen.length === 1 ? '' : 's'}, on ${cfg.baseUrl} (run id ${cfg.runId})\n`);
    for (const n of chosen) {
      const d = defects[n - 1];
      const head = `  ${n}. [${d.check}] ${d.message}`;
      const r = d.first.reproduction;
      if (!r) {
        process.stdout.write(`${head}\n     no reproduction was recorded; run the test that showed it: ${d.first.replay ?? d.first.test}\n`);
        continue;
      }
      // Each in an environment of its own: what one made is no part of the next.
      const alone = { ...session, record: session.record.blank() };
      const { env } = suiteEnv(alone, 'repro');
      try {
        const { final, sent } = await replayReproduction(alone, env, r);
        const keys = occurrences(session, final, true, undefined).map((o) => o.key);
        const line = `${final.exchange.request.method} ${final.exchange.request.path} -> ${final.exchange.response.status}`;
        if (keys.includes(d.key)) {
          shows++;
          process.stdout.write(`${head}\n     reproduced, in ${sent} request${sent === 1 ? '' : 's'}: ${line}\n`);
        } else {
          const other = keys.length ? `it broke other rules instead: ${keys.join('; ')}` : 'it broke no rule';
          process.stdout.write(`${head}\n     not reproduced: ${line}, ${other}${d.first.replay ? `; the test that showed it: ${d.first.replay}` : ''}\n`);
        }
      } finally {
        await env.sb.dispose().catch((e) => {
          left.push(e instanceof Error ? e.message : String(e));
        });
      }
    }
  } finally {
    session.client.close();
    // What could not be deleted stays in the ledger, for npm run sweep.
    if (!left.length) removeLedgers(cfg.runId);
    unmarkLive();
  }
  if (left.length) process.stderr.write(`repro: ${left.join('; ')}\n`);
  process.stdout.write(`repro: ${shows} of ${chosen.length} reproduced\n`);
  return shows ? 1 : 0;
});
