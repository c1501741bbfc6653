import { mkdirSync, writeFileSync } from 'node:fs';
import { listFaults, parseFaults } from '../run/embedded';
import { ALL_CHECKS } from '../checks/registry';
import { markdownTable } from '../run/report/markdown';
import type { HarnessResult } from '../run/selfcheck/harness';
import { cleanPassed, runClean, scoreFaults } from '../run/selfcheck/score';
import { UserError } from '../model/errors';
import { main } from './run';

const USAGE = 'usage: npm run selfcheck -- [--budget N] [fault ...]';

function parseArgs(argv: string[]): { budget?: number; faults: string[] } {
  const out: { budget?: number; faults: string[] } = { faults: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--budget') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--budget needs a whole number of requests, at least 1; ${USAGE}`);
      out.budget = n;
    } else if (argv[i].startsWith('--')) throw new UserError(`unknown option ${argv[i]}; ${USAGE}`);
    else out.faults.push(argv[i]);
  }
  return out;
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
 * started with (each within `--budget` requests, if given). Prints the fault x check matrix and
 * the score; exits 1 if a fault survives or the clean mock fails.
 */
main('selfcheck', async () => {
  const args = parseArgs(process.argv.slice(2));
  const only = parseFaults(args.faults);
  const faults = listFaults().filter((f) => !only.size || only.has(f.name));
  const started = Date.now();
  const clean = await runClean(args.budget);
  const rows = await scoreFaults(faults, args.budget, (r) => process.stdout.write(`${r.caught.length ? '✓' : '✗'} ${r.fault}: ${r.caught.join(', ') || 'SURVIVED'}\n`));
  const caught = rows.filter((r) => r.caught.length > 0);
  const byExpected = rows.filter((r) => r.caught.includes(r.expected));
  const table = markdownTable(
    ['fault', 'category', 'rule it breaks', 'caught by', 'expected check fired'],
    rows.map((r) => [`\`${r.fault}\``, r.category, r.rule, r.caught.map((c) => (c === r.expected ? `**${c}**` : c)).join(', ') || '**survived**', r.caught.includes(r.expected) ? 'yes' : 'no']),
  );
  const checksUsed = new Set(rows.flatMap((r) => r.caught));
  const summary = [
    ...(args.budget ? [`budget: ${args.budget} requests per run`] : []),
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
