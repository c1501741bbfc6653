import { mkdirSync, writeFileSync } from 'node:fs';
import { listFaults, parseFaults } from '../run/embedded';
import { ALL_CHECKS } from '../checks/registry';
import { markdownTable } from '../run/report/markdown';
import { type HarnessResult, runAgainstMock } from '../run/selfcheck/harness';
import { faultRun } from '../run/selfcheck/scenarios';
import { wholeSuite } from '../run/selfcheck/suite';
import { main } from './run';

/** The clean mock passes only when no check found anything and every step of the suite ran. */
function cleanPassed(clean: HarnessResult): boolean {
  return clean.findings.length === 0 && clean.stepErrors.length === 0 && !clean.setupError;
}

function cleanVerdict(clean: HarnessResult): string {
  if (cleanPassed(clean)) return `passed (${clean.recorded.length} requests, no finding)`;
  const problems = [
    ...(clean.findings.length ? [`${clean.findings.length} findings (${[...clean.failedChecks].join(', ')})`] : []),
    ...(clean.setupError ? [`setup failed: ${clean.setupError}`] : []),
    ...clean.stepErrors.map((e) => `step failed: ${e}`),
  ];
  return `FAILED with ${problems.join('; ')}`;
}

/**
 * `npm run selfcheck`: the suite against the clean mock and against every fault the mock can be
 * started with. Prints the fault x check matrix and the score; exits 1 if a fault survives or the
 * clean mock fails.
 */
main('selfcheck', async () => {
  const only = parseFaults(process.argv.slice(2));
  const faults = listFaults().filter((f) => !only.size || only.has(f.name));
  const started = Date.now();
  const clean = await runAgainstMock({}, (env) => wholeSuite(env));
  const rows: { fault: string; category: string; rule: string; expected: string; caught: string[] }[] = [];
  for (const fault of faults) {
    const { opts, scenario } = faultRun(fault.name);
    const r = await runAgainstMock(opts, scenario);
    rows.push({ fault: fault.name, category: fault.category, rule: fault.rule, expected: fault.catches, caught: [...r.failedChecks].sort() });
    process.stdout.write(`${r.failedChecks.size ? '✓' : '✗'} ${fault.name}: ${[...r.failedChecks].join(', ') || 'SURVIVED'}\n`);
  }
  const caught = rows.filter((r) => r.caught.length > 0);
  const byExpected = rows.filter((r) => r.caught.includes(r.expected));
  const table = markdownTable(
    ['fault', 'category', 'rule it breaks', 'caught by', 'expected check fired'],
    rows.map((r) => [`\`${r.fault}\``, r.category, r.rule, r.caught.map((c) => (c === r.expected ? `**${c}**` : c)).join(', ') || '**survived**', r.caught.includes(r.expected) ? 'yes' : 'no']),
  );
  const checksUsed = new Set(rows.flatMap((r) => r.caught));
  const summary = [
    `score: ${caught.length}/${rows.length} faults caught (${byExpected.length}/${rows.length} by the check meant for them); ${checksUsed.size}/${ALL_CHECKS.length} checks fired at least once`,
    `clean mock: ${cleanVerdict(clean)}`,
    `time: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/selfcheck.md', `# Self-check\n\n${summary.join('\n\n')}\n\n${table}\n`);
  writeFileSync('reports/selfcheck.json', JSON.stringify({ rows, clean: { findings: clean.findings.length, stepErrors: clean.stepErrors, setupError: clean.setupError, requests: clean.recorded.length } }, null, 2));
  process.stdout.write(`\n${table}\n\n${summary.join('\n')}\n(reports/selfcheck.md)\n`);
  return caught.length === rows.length && cleanPassed(clean) ? 0 : 1;
});
