import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../model/errors';
import { RESULTS_DIR } from '../run/report/render';
import { type GateReport, runGate } from '../run/sdk/gate';
import { main } from './run';

const USAGE = 'usage: npm run sdk:gate -- --sdk <polytomic@1.18.1 | tarball | directory> [--target URL] [--version YYYY-MM-DD] [--out DIR]';

function markdown(r: GateReport): string {
  return [
    `# SDK gate: ${r.sdk} (${r.version}) — ${r.verdict}`,
    '',
    `${r.requests} requests; covers ${r.coverage.covered.length}/${r.coverage.covered.length + r.coverage.missing.length} spec operations.`,
    '',
    '## Findings',
    '',
    ...(r.findings.length ? r.findings.map((f) => `- ${f.blocking ? '**blocking**' : 'note'} \`${f.rule}\` ${f.message}`) : ['none']),
    '',
    '## Methods driven',
    '',
    ...r.methods.map((m) => `- \`${m.name}\`: ${m.outcome}`),
    '',
    `## Spec operations the SDK lacks`,
    '',
    r.coverage.missing.map((m) => `\`${m}\``).join(', ') || 'none',
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
    ...(r.verdict === 'BLOCK' ? { statusDetails: { message: r.findings.filter((f) => f.blocking).map((f) => `[${f.rule}] ${f.message}`).join('\n') } } : {}),
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
    if (!['--sdk', '--target', '--version', '--out'].includes(args[i]) || !args[i + 1]) throw new UserError(`unknown or incomplete option ${args[i]}; ${USAGE}`);
    opts[args[i].slice(2)] = args[i + 1];
  }
  if (!opts.sdk) throw new UserError(`--sdk is required; ${USAGE}`);
  const report = await runGate({ sdk: opts.sdk, target: opts.target, version: opts.version, partnerKey: process.env.POLYTOMIC_PARTNER_KEY });
  const out = opts.out ?? 'reports/sdk-gate';
  const name = `${opts.sdk.replace(/[^A-Za-z0-9._@-]+/g, '_')}${opts.version ? `-v${opts.version}` : ''}`;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `sdk-gate-${name}.json`), JSON.stringify(report, null, 2));
  writeFileSync(join(out, `sdk-gate-${name}.md`), markdown(report));
  const results = process.env.ALLURE_RESULTS_DIR ?? RESULTS_DIR;
  mkdirSync(results, { recursive: true });
  const res = allureResult(report) as { uuid: string };
  writeFileSync(join(results, `${res.uuid}-result.json`), JSON.stringify(res));
  process.stdout.write(`sdk:gate ${opts.sdk} (${report.version}): ${report.verdict}\n`);
  for (const f of report.findings) process.stdout.write(`  ${f.blocking ? 'BLOCK' : 'note '} [${f.rule}] ${f.message}\n`);
  process.stdout.write(`  covers ${report.coverage.covered.length} spec operations; lacks: ${report.coverage.missing.join(', ') || 'none'}\n  (${join(out, `sdk-gate-${name}.md`)})\n`);
  return report.verdict === 'PASS' ? 0 : 1;
});
