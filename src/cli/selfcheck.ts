import { mkdirSync, writeFileSync } from 'node:fs';
import { listFaults } from '../../mock/faults';
import type { MockOptions } from '../../mock/server';
import { ALL_CHECKS } from '../checks/registry';
import { runAgainstMock } from '../selfcheck/harness';
import { EXAMPLE_SUITES } from '../suites/examples';
import { idempotentReplay } from '../workflows/idempotency';
import { wholeSuite } from '../selfcheck/suite';
import type { SuiteEnv } from '../suites/examples';
import { main } from './run';

/** Faults that only show under a mock mode, and the scenario that exercises them quickly. */
const SETUP: Record<string, { mock?: Omit<MockOptions, 'faults' | 'port'>; env?: Record<string, string>; scenario?: (env: SuiteEnv) => Promise<void> }> = {
  // Latency faults slow every request down: they get the scenario that shows them, not the whole suite.
  slow_list_orgs: { mock: { faultDelayMs: 400 }, env: { CONFORMANCE_MAX_RESPONSE_MS: '250' }, scenario: (env) => EXAMPLE_SUITES.valid(env.target.spec.byId.get('organization_list')!, env) },
  idempotency_in_flight_processed: { mock: { latencyMs: 100 }, scenario: idempotentReplay },
  rate_limit_without_retry_after: {
    mock: { rateLimit: { rps: 5, burst: 5 } },
    // A burst past the limit: the client waits each 429 out, and its headers are judged.
    scenario: async (env) => {
      const op = env.target.spec.byId.get('organization_list')!;
      for (let i = 0; i < 8; i++) await env.send(op, { credential: env.target.partner }, { kind: 'positive' });
    },
  },
};

/**
 * `npm run selfcheck`: the suite against the clean mock and against every fault the mock can be
 * started with. Prints the fault x check matrix and the score; exits 1 if a fault survives or the
 * clean mock fails.
 */
main('selfcheck', async () => {
  const only = process.argv.slice(2);
  const faults = listFaults().filter((f) => !only.length || only.includes(f.name));
  const started = Date.now();
  const clean = await runAgainstMock({}, (env) => wholeSuite(env));
  const rows: { fault: string; category: string; expected: string; caught: string[] }[] = [];
  for (const fault of faults) {
    const setup = SETUP[fault.name] ?? {};
    const r = await runAgainstMock({ faults: [fault.name], mock: setup.mock, env: setup.env }, setup.scenario ?? ((env) => wholeSuite(env)));
    rows.push({ fault: fault.name, category: fault.category, expected: fault.catches, caught: [...r.failedChecks].sort() });
    process.stdout.write(`${r.failedChecks.size ? '✓' : '✗'} ${fault.name}: ${[...r.failedChecks].join(', ') || 'SURVIVED'}\n`);
  }
  const caught = rows.filter((r) => r.caught.length > 0);
  const byExpected = rows.filter((r) => r.caught.includes(r.expected));
  const lines = [
    '| fault | category | caught by | expected check fired |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.fault}\` | ${r.category} | ${r.caught.map((c) => (c === r.expected ? `**${c}**` : c)).join(', ') || '**survived**'} | ${r.caught.includes(r.expected) ? 'yes' : 'no'} |`),
  ];
  const checksUsed = new Set(rows.flatMap((r) => r.caught));
  const summary = [
    `score: ${caught.length}/${rows.length} faults caught (${byExpected.length}/${rows.length} by the check meant for them); ${checksUsed.size}/${ALL_CHECKS.length} checks fired at least once`,
    `clean mock: ${clean.findings.length ? `FAILED with ${clean.findings.length} findings (${[...clean.failedChecks].join(', ')})` : `passed (${clean.recorded.length} requests, no finding)`}`,
    `time: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/selfcheck.md', `# Self-check\n\n${summary.join('\n\n')}\n\n${lines.join('\n')}\n`);
  writeFileSync('reports/selfcheck.json', JSON.stringify({ rows, clean: { findings: clean.findings.length, requests: clean.recorded.length } }, null, 2));
  process.stdout.write(`\n${lines.join('\n')}\n\n${summary.join('\n')}\n(reports/selfcheck.md)\n`);
  return caught.length === rows.length && clean.findings.length === 0 ? 0 : 1;
});
