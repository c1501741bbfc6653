import type { FullConfig } from '@playwright/test';
import { readConfig } from '../model/config';
import { loadContracts } from '../model/contracts';
import { readObservations } from '../checks/drift/recorder';
import { type RunInputs, saveRunInputs, shardName, writeRunReports } from './report/derived';
import { runPaths, shown } from './report/paths';
import { loadSpec } from '../model/spec/load';
import { cleanupRun } from '../target/cleanup';
import { markLive, removeLedgers } from '../target/ledger';
import { goneStatuses } from '../target/sandbox';
import { HttpClient } from '../target/http';
import { ownCredential } from '../target/target';
import { announceRun } from './describe';
import { currentCoordinator, startCoordinator } from './coordinator';
import { readCoverage } from './coverage/record';
import { coverageLine } from './coverage/report';
import { startEmbeddedMock } from './embedded';

/**
 * Fixes the run's seed and run id for every worker, starts the embedded mock when no target is
 * given, and at the end deletes whatever the run's ledgers still hold.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const cfg = readConfig();
  process.env.CONFORMANCE_SEED = String(cfg.seed);
  process.env.CONFORMANCE_RUN_ID = cfg.runId;
  let close: (() => Promise<void>) | undefined;
  if (!cfg.baseUrl) {
    // The embedded mock behaves as the run's target profile (embedded, unless another is chosen).
    const { mock, env } = await startEmbeddedMock({ profile: cfg.profileName });
    close = () => mock.close();
    Object.assign(process.env, env, { CONFORMANCE_TARGET_PROFILE: cfg.profileName });
  }
  // Until teardown, npm run sweep on this machine leaves this run alone.
  const unmarkLive = markLive(cfg.runId);
  const target = cfg.baseUrl ?? `${process.env.POLYTOMIC_BASE_URL} (embedded mock)`;
  process.stdout.write(`${announceRun(cfg, target)}\n`);
  // One rate and one budget for every worker; shards, which cannot talk to each other, split them.
  const shards = config.shard?.total ?? 1;
  const rps = cfg.rps / shards;
  const budget = cfg.budget === undefined ? undefined : Math.floor(cfg.budget / shards) + ((config.shard?.current ?? 1) === 1 ? cfg.budget % shards : 0);
  const stopCoordinator = rps > 0 || budget !== undefined ? await startCoordinator(cfg.runId, rps, budget, config.workers) : undefined;
  if (stopCoordinator) process.stdout.write(`pacing: ${rps ? `${+rps.toFixed(2)} requests/s for the whole run${shards > 1 ? ` (shard ${config.shard?.current} of ${shards})` : ''}` : 'no rate cap'}${budget !== undefined ? `, a budget of ${budget} requests` : ''}\n`);

  return async () => {
    const spent = currentCoordinator()?.pacer;
    await stopCoordinator?.();
    if (spent?.budget !== undefined) process.stdout.write(`budget: ${spent.spent} of ${spent.budget} requests spent, and ${spent.cleanup} to clean up\n`);
    // What the ledgers still hold, creates whose answer never came included (found by their markers).
    const client = new HttpClient(process.env.POLYTOMIC_BASE_URL!, { rps });
    const spec = loadSpec(cfg.specPath);
    // The embedded mock's settings were set after readConfig: read them again.
    const own = ownCredential(readConfig(), spec);
    const contracts = loadContracts(cfg.contractsDir, cfg.profileName);
    const version = { header: contracts.invariants.versions.header, value: cfg.apiVersion };
    const { failed } = await cleanupRun({ client, own, version, gone: goneStatuses(contracts), spec }, cfg.runId).finally(() => client.close());
    // A ledger with nothing left in it records nothing anyone needs; one with leftovers stays for npm run sweep.
    if (!failed.length) removeLedgers(cfg.runId);
    unmarkLive();
    if (failed.length) process.stderr.write(`conformance: could not delete ${failed.length} resources; run npm run sweep (${failed.join('; ')})\n`);
    await close?.();
    const observations = readObservations(cfg.runId);
    if (observations.length) {
      // Kept with the results, so that merging shards recomputes these from every shard's.
      const run = runPaths(cfg.runId);
      const inputs: RunInputs = { spec: cfg.specPath, contracts: cfg.contractsDir, profile: cfg.profileName, observations, coverage: readCoverage(cfg.runId) };
      saveRunInputs(run.results, cfg.runId, shardName(config.shard), inputs);
      const { drift, coverage } = writeRunReports([inputs], run.dir, run.results);
      const requests = observations.reduce((n, o) => n + (o.requests ?? 0), 0);
      process.stdout.write(`requests: ${requests} sent\n`);
      process.stdout.write(`drift: ${drift.summary.new} new, ${drift.summary.expired} expired, ${drift.summary.known} known (${shown(run.dir)}/drift.md)\n`);
      process.stdout.write(`${coverageLine(coverage)}\n`);
    }
  };
}
