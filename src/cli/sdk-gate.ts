import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../model/errors';
import { currentRun } from '../run/report/paths';
import { compareReports, type GateReport, runGate } from '../run/sdk/gate';
import { main } from './run';

const USAGE = 'usage: npm run sdk:gate -- --sdk <polytomic@1.18.1 | tarball | directory> [--compare <previous build>] [--version YYYY-MM-DD] [--seed N] [--cases N] [--profile NAME] [--out DIR]';

const findingLine = (f: GateReport['findings'][number]) =>
  `${f.blocking && f.state === 'new' ? 'BLOCK' : f.blocking ? 'known' : 'note '} [${f.rule}] ${f.message}${f.request ? ` (${f.request})` : ''}${f.methods.length > 1 ? `; ${f.methods.length - 1} more methods` : ''}${f.knownBy ? ` — known: ${f.knownBy}` : ''}`;

function markdown(r: GateReport): string {
  const mapped = r.methods.filter((m) => m.operation);
  const unmapped = r.methods.filter((m) => m.unmapped);
  const total = r.coverage.covered.length + r.coverage.missing.length;
  return [
    `# SDK gate: ${r.sdk} (${r.version}) — ${r.verdict}`,
    '',
    `${mapped.length} methods driven (${mapped.reduce((n, m) => n + m.calls, 0)} calls), ${r.requests} requests, ${r.seconds.toFixed(1)} s; covers ${r.coverage.covered.length}/${total} spec operations; seed ${r.seed}; retries judged by target profile ${r.profile}.`,
    `Replay: \`npm run sdk:gate -- --sdk ${r.sdk} --seed ${r.seed}\``,
    ...(r.comparedWith ? ['', `Compared with ${r.comparedWith}: what it shows too is known, reported and not blocking.`] : []),
    '',
    '## Findings',
    '',
    ...(r.findings.length ? r.findings.map((f) => `- ${f.blocking && f.state === 'new' ? '**blocking**' : f.blocking ? 'known' : 'note'} \`${f.rule}\` ${f.message}${f.request ? ` (\`${f.request}\`)` : ''}${f.methods.length > 1 ? `; also ${f.methods.slice(1).map((m) => `\`${m}\``).join(', ')}` : ''}${f.knownBy ? ` (known: ${f.knownBy})` : ''}`) : ['none']),
    '',
    '## Methods driven',
    '',
    ...mapped.map((m) => `- \`${m.name}\` -> \`${m.operation}\` (${m.calls} calls)`),
    '',
    '## Spec operations no method reaches',
    '',
    r.coverage.missing.map((m) => `\`${m}\``).join(', ') || 'none',
    '',
    `## Methods outside the spec (${unmapped.length})`,
    '',
    ...unmapped.map((m) => `- \`${m.name}\`: ${m.unmapped}`),
    '',
  ].join('\n');
}

/** One Allure case per gate run, failed on BLOCK, so the gate shows in the report. */
function allureResult(r: GateReport): object {
  const now = Date.now();
  return {
    uuid: randomUUID(),
    historyId: createHash('md5').update(`sdk-gate:${r.sdk}`).digest('hex'),
    name: `SDK gate ${r.sdk}`,
    fullName: `sdk-gate: ${r.sdk}`,
    status: r.verdict === 'PASS' ? 'passed' : 'failed',
    stage: 'finished',
    start: now,
    stop: now,
    description: markdown(r),
    ...(r.verdict === 'BLOCK' ? { statusDetails: { message: r.findings.filter((f) => f.blocking && f.state === 'new').map((f) => `[${f.rule}] ${f.message}`).join('\n') } } : {}),
    labels: [
      { name: 'parentSuite', value: 'SDK gate' },
      { name: 'epic', value: 'SDK gate' },
      { name: 'feature', value: `${r.sdk} ${r.version}` },
      ...[...new Set(r.findings.map((f) => f.rule))].map((rule) => ({ name: 'story', value: rule })),
    ],
    steps: [],
    attachments: [],
    parameters: [],
  };
}

/** `npm run sdk:gate`: PASS exits 0, BLOCK exits 1, a usage mistake exits 2. */
main('sdk:gate', async () => {
  const args = process.argv.slice(2);
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === '--target') throw new UserError('--target is no longer taken: the gate answers the SDK itself (generated answers, every documented error, retries); npm run conformance judges a target');
    if (!['--sdk', '--compare', '--version', '--seed', '--cases', '--profile', '--out'].includes(args[i]) || !args[i + 1]) throw new UserError(`unknown or incomplete option ${args[i]}; ${USAGE}`);
    opts[args[i].slice(2)] = args[i + 1];
  }
  if (!opts.sdk) throw new UserError(`--sdk is required; ${USAGE}`);
  for (const k of ['seed', 'cases'] as const) if (opts[k] !== undefined && !/^-?\d+$/.test(opts[k])) throw new UserError(`--${k} ${opts[k]} is not a whole number; ${USAGE}`);
  // The gate's own server is the target: no setting of a live one applies (an exported POLYTOMIC_PARTNER_KEY changes nothing).
  const run = (sdk: string) =>
    runGate({ sdk, version: opts.version, seed: opts.seed === undefined ? undefined : Number(opts.seed), cases: opts.cases === undefined ? undefined : Number(opts.cases), profile: opts.profile, contractsDir: process.env.CONFORMANCE_CONTRACTS_DIR || undefined, progress: (l) => process.stdout.write(`sdk:gate: ${l}\n`) });
  let report = await run(opts.sdk);
  let gone: string[] = [];
  if (opts.compare) {
    // The build before, with the same seed and settings: what both show is known.
    process.stdout.write(`sdk:gate: the previous build, ${opts.compare}, for comparison\n`);
    ({ report, gone } = compareReports(report, await run(opts.compare)));
  }
  const out = opts.out ?? 'reports/sdk-gate';
  const name = `${opts.sdk.replace(/[^A-Za-z0-9._@-]+/g, '_')}${opts.version ? `-v${opts.version}` : ''}`;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `sdk-gate-${name}.json`), JSON.stringify(report, null, 2));
  writeFileSync(join(out, `sdk-gate-${name}.md`), markdown(report));
  // Into the results of the run in progress (ALLURE_RESULTS_DIR, as CI passes it), else a run directory of the gate's own.
  const results = currentRun({ CONFORMANCE_RUN_ID: 'sdk-gate', ...process.env }).results;
  mkdirSync(results, { recursive: true });
  const res = allureResult(report) as { uuid: string };
  writeFileSync(join(results, `${res.uuid}-result.json`), JSON.stringify(res));
  const mapped = report.methods.filter((m) => m.operation).length;
  process.stdout.write(`sdk:gate ${opts.sdk} (${report.version}): ${report.verdict}; ${mapped} methods driven, ${report.coverage.covered.length}/${report.coverage.covered.length + report.coverage.missing.length} operations covered, ${report.requests} requests, ${report.seconds.toFixed(1)} s, seed ${report.seed}\n`);
  if (report.comparedWith) {
    const worse = report.findings.filter((f) => f.blocking && f.state === 'new').length;
    process.stdout.write(`  against ${report.comparedWith}: ${worse ? `worse, ${worse} blocking finding${worse === 1 ? '' : 's'} it did not have` : 'no worse'}${gone.length ? `; better: ${gone.join(', ')} no longer found` : ''}\n`);
  }
  for (const f of report.findings) process.stdout.write(`  ${findingLine(f)}\n`);
  process.stdout.write(`  no method reaches: ${report.coverage.missing.join(', ') || 'none'}\n  replay: npm run sdk:gate -- --sdk ${opts.sdk} --seed ${report.seed}\n  (${join(out, `sdk-gate-${name}.md`)})\n`);
  return report.verdict === 'PASS' ? 0 : 1;
});
