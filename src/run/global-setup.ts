import type { FullConfig } from '@playwright/test';
import { readConfig } from '../model/config';
import { loadContracts } from '../model/contracts';
import { readObservations } from '../checks/drift/recorder';
import { buildDriftReport, writeDriftReport } from './report/drift';
import { RESULTS_DIR } from './report/render';
import { loadSpec } from '../model/spec/load';
import { cleanupRun } from '../target/cleanup';
import { removeLedgers } from '../target/ledger';
import { goneStatuses } from '../target/sandbox';
import { HttpClient } from '../target/http';
import { credential } from '../target/credentials';
import { announceRun } from './describe';
import { startEmbeddedMock } from './embedded';

/**
 * Fixes the run's seed and run id for every worker, starts the embedded mock when no target is
 * given, and at the end deletes whatever the run's ledgers still hold.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
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
  const target = cfg.baseUrl ?? `${process.env.POLYTOMIC_BASE_URL} (embedded mock)`;
  process.stdout.write(`${announceRun(cfg, target)}\n`);

  return async () => {
    // What the ledgers still hold, creates whose answer never came included (found by their markers).
    const client = new HttpClient(process.env.POLYTOMIC_BASE_URL!, { rps: cfg.rps });
    const partner = credential('partner', process.env.POLYTOMIC_PARTNER_KEY!, 'POLYTOMIC_PARTNER_KEY');
    const gone = goneStatuses(loadContracts(cfg.contractsDir, cfg.profileName));
    const { failed } = await cleanupRun({ client, partner, version: cfg.apiVersion, gone, spec: loadSpec(cfg.specPath) }, cfg.runId).finally(() => client.close());
    // A ledger with nothing left in it records nothing anyone needs; one with leftovers stays for npm run sweep.
    if (!failed.length) removeLedgers(cfg.runId);
    if (failed.length) process.stderr.write(`conformance: could not delete ${failed.length} resources; run npm run sweep (${failed.join('; ')})\n`);
    await close?.();
    const observations = readObservations(cfg.runId);
    if (observations.length) {
      const contracts = loadContracts(cfg.contractsDir, cfg.profileName);
      const report = buildDriftReport(loadSpec(cfg.specPath), contracts.baseline, observations);
      writeDriftReport(report, 'reports', process.env.ALLURE_RESULTS_DIR ?? RESULTS_DIR);
      const requests = observations.reduce((n, o) => n + (o.requests ?? 0), 0);
      process.stdout.write(`requests: ${requests} sent\n`);
      process.stdout.write(`drift: ${report.summary.new} new, ${report.summary.expired} expired, ${report.summary.known} known; status coverage ${report.summary.statusCoverage} (reports/drift.md)\n`);
    }
  };
}
