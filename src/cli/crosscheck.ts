import { mkdirSync, writeFileSync } from 'node:fs';
import { listFaults, parseFaults } from '../run/embedded';
import { agrees, type CrossCheckResult, PRISM_LIMITATIONS } from '../run/crosscheck/compare';
import { crossCheck, type PrismMode } from '../run/crosscheck/run';
import { UserError } from '../model/errors';
import { markdownTable } from '../run/report/markdown';
import { faultRun } from '../run/selfcheck/scenarios';
import { main } from './run';

const USAGE = 'usage: npm run crosscheck [-- --faults[=name,name...]]';
const MODES: [PrismMode, string][] = [
  ['errors', 'prism proxy --errors'],
  ['observe', 'prism proxy'],
];

function parseArgs(argv: string[]): { faults?: Set<string> } {
  const out: { faults?: Set<string> } = {};
  for (const arg of argv) {
    const m = /^--faults(?:=(.*))?$/.exec(arg);
    if (!m) throw new UserError(`unknown option ${arg}; ${USAGE}`);
    out.faults = m[1] ? parseFaults(m[1].split(',')) : new Set(listFaults().map((f) => f.name));
  }
  return out;
}

function cleanSection(results: Map<PrismMode, CrossCheckResult>): string {
  const col = (f: (r: CrossCheckResult) => string | number) => MODES.map(([m]) => f(results.get(m)!));
  const lines = [
    markdownTable(['', ...MODES.map(([, label]) => `\`${label}\``)], [
      ['exchanges', ...col((r) => r.exchanges)],
      ['forwarded to the mock', ...col((r) => r.forwarded)],
      ['response violations Prism found', ...col((r) => r.disagreements.filter((d) => d.kind === 'response_violation').length)],
      ['valid requests Prism rejected', ...col((r) => r.disagreements.filter((d) => d.kind === 'valid_request_rejected').length)],
      ['negative requests Prism also found invalid', ...col((r) => `${r.negatives.flaggedByPrism}/${r.negatives.sent}`)],
      ['suite findings on forwarded exchanges', ...col((r) => r.disagreements.filter((d) => d.kind === 'suite_only_finding').length)],
      ['disagreements a known Prism limitation explains', ...col((r) => r.explained.length)],
      ['workflow steps that could not run', ...col((r) => r.stepErrors.length)],
      ['verdict', ...col((r) => (agrees(r) ? 'agree' : '**disagree**'))],
    ]),
    '',
    "Answers Prism made itself, so the suite judged Prism rather than the mock (what it says of them):",
    '',
    markdownTable(
      ['mode', 'Prism answered', 'count', 'requests meant as', "the suite's findings on Prism's answer"],
      MODES.flatMap(([m, label]) =>
        results.get(m)!.prismAnswers.map((a) => [`\`${label}\``, `${a.status} ${a.problem}`, a.count, a.intents.join(', '), Object.entries(a.suiteFindings).map(([c, msg]) => `${c}: ${msg}`).join('; ')]),
      ),
    ),
  ];
  const disagreements = MODES.flatMap(([m, label]) => results.get(m)!.disagreements.map((d) => ({ label, ...d })));
  if (disagreements.length) {
    lines.push('', '### Disagreements', '', markdownTable(
      ['mode', 'kind', 'operation', 'status', 'Prism says', 'the suite says'],
      disagreements.slice(0, 50).map((d) => [`\`${d.label}\``, d.kind, d.operation, d.status, d.prism.slice(0, 3).join('; '), d.suite.slice(0, 3).join('; ')]),
    ));
    if (disagreements.length > 50) lines.push('', `(${disagreements.length - 50} more in reports/crosscheck.json)`);
  }
  const explained = PRISM_LIMITATIONS.map((l) => [l.id, l.description, ...MODES.map(([m]) => results.get(m)!.explained.filter((d) => d.limitation === l.id).length)]);
  if (explained.some((row) => row.slice(2).some((n) => n !== 0))) {
    lines.push('', '### Known Prism limitations met in this run', '', markdownTable(['limitation', 'what Prism does', ...MODES.map(([, label]) => `\`${label}\``)], explained));
  }
  const steps = MODES.flatMap(([m, label]) => results.get(m)!.stepErrors.map((e) => `- \`${label}\`: ${e}`));
  if (steps.length) lines.push('', '### Workflow steps that could not run', '', ...steps);
  return lines.join('\n');
}

/**
 * `npm run crosscheck`: the conformance suite run in-process against the embedded mock through
 * Stoplight Prism's validating proxy, with and without `--errors`. Prism must find no violation
 * in the mock's answers and the suite must pass every exchange Prism forwards; where they part,
 * the report says on which exchange. `--faults` also measures, fault by fault, what Prism's
 * validation alone notices next to what the suite notices through the same proxy.
 */
main('crosscheck', async () => {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results = new Map<PrismMode, CrossCheckResult>();
  for (const [mode, label] of MODES) {
    process.stderr.write(`crosscheck: the whole suite against the clean mock through ${label}...\n`);
    results.set(mode, await crossCheck(mode));
    process.stderr.write(`crosscheck: ${label}: ${agrees(results.get(mode)!) ? 'agrees' : 'disagrees'} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  const ok = MODES.every(([m]) => agrees(results.get(m)!));
  const sections = [`# Cross-check with Stoplight Prism 5.14.2\n\n## The clean mock\n\n${cleanSection(results)}`];

  const faults: { fault: string; prism: string; suite: string[]; expected: string }[] = [];
  if (args.faults) {
    for (const fault of listFaults().filter((f) => args.faults!.has(f.name))) {
      const { opts, scenario } = faultRun(fault.name);
      const r = await crossCheck('observe', opts, scenario);
      const violation = r.disagreements.find((d) => d.kind === 'response_violation');
      faults.push({ fault: fault.name, prism: violation ? `${violation.operation}: ${violation.prism[0]}` : '', suite: r.suiteChecksFailed, expected: fault.catches });
      process.stdout.write(`${fault.name}: Prism ${violation ? 'reports it' : 'silent'}; suite ${r.suiteChecksFailed.join(', ') || 'silent'}\n`);
    }
    const byPrism = faults.filter((f) => f.prism).length;
    const bySuite = faults.filter((f) => f.suite.length).length;
    sections.push(
      `## Faults: Prism's validation alone vs the suite, both through \`prism proxy\`\n\nPrism reports ${byPrism}/${faults.length}; the suite catches ${bySuite}/${faults.length}.\n\n` +
        markdownTable(['fault', "Prism's first response violation", 'suite checks that failed'], faults.map((f) => [`\`${f.fault}\``, f.prism || '—', f.suite.map((c) => (c === f.expected ? `**${c}**` : c)).join(', ') || '—'])),
    );
  }
  sections.push(`${ok ? 'Prism and the suite agree' : 'Prism and the suite DISAGREE'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const md = `${sections.join('\n\n')}\n`;
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/crosscheck.md', md);
  writeFileSync('reports/crosscheck.json', JSON.stringify({ clean: Object.fromEntries(results), faults }, null, 2));
  process.stdout.write(`${md}(reports/crosscheck.md)\n`);
  return ok ? 0 : 1;
});
