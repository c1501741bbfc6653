import { randomUUID, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../model/spec/load';
import type { Baseline, DriftStatus } from '../../model/contracts';
import type { DriftItem } from '../../checks/drift/observe';
import { keepSmallerExample, type Observations } from '../../checks/drift/recorder';

export interface DriftFinding extends DriftItem {
  count: number;
  /** new / known (baselined) / expired (baselined, but past its date). */
  state: DriftStatus;
  owner?: string;
  reason?: string;
  expires?: string;
}

export interface DriftReport {
  generatedAt: string;
  spec: string;
  summary: { new: number; known: number; expired: number; operations: number };
  findings: DriftFinding[];
}

export function buildDriftReport(spec: Spec, baseline: Baseline, observations: Observations[]): DriftReport {
  const merged = new Map<string, DriftItem & { count: number }>();
  for (const o of observations) {
    for (const d of o.drift) {
      const m = merged.get(d.key);
      if (!m) merged.set(d.key, { ...d });
      else {
        m.count += d.count;
        keepSmallerExample(m, d);
      }
    }
  }
  const findings: DriftFinding[] = [...merged.values()]
    .map((d) => {
      const e = baseline.entry(d.key);
      return { ...d, state: baseline.status(d.key), ...(e ? { owner: e.owner, reason: e.reason, expires: e.expires } : {}) };
    })
    .sort((a, b) => (a.state === b.state ? a.key.localeCompare(b.key) : a.state === 'known' ? 1 : -1));

  return {
    generatedAt: new Date().toISOString(),
    spec: spec.file,
    summary: {
      new: findings.filter((f) => f.state === 'new').length,
      known: findings.filter((f) => f.state === 'known').length,
      expired: findings.filter((f) => f.state === 'expired').length,
      operations: spec.operations.length,
    },
    findings,
  };
}

const code = (v: unknown) => `\`${JSON.stringify(v)?.replace(/`/g, "'").slice(0, 120)}\``;

export function driftMarkdown(r: DriftReport): string {
  const lines = [
    '# Spec drift',
    '',
    `${r.summary.new} new, ${r.summary.expired} expired, ${r.summary.known} known (baselined) finding(s). What of the spec the run exercised: coverage.md.`,
    '',
  ];
  if (r.findings.length) {
    lines.push('| state | operation | status | kind | where | example | proposed spec patch | breaking for clients |', '|---|---|---|---|---|---|---|---|');
    for (const f of r.findings) {
      const state = f.owner ? `${f.state} (${f.owner}, until ${f.expires})` : f.state;
      lines.push(`| ${state} | ${f.operation} | ${f.status} | ${f.kind} | ${f.pointer || '–'} | ${code(f.example)} | ${code(f.patch)} | ${f.breaking ? 'yes' : 'no'} |`);
    }
    lines.push('', 'Baseline an accepted finding in `contracts/drift-baseline.yaml` with its key (shown in `drift.json`), an owner, a reason and an expiry date.', '');
  }
  return `${lines.join('\n')}\n`;
}

/** Allure results for the "drift" suite: one case per finding (failed unless known). */
function allureResults(r: DriftReport): object[] {
  const now = Date.now();
  const result = (name: string, status: 'passed' | 'failed', labels: Record<string, string>, description: string, message?: string) => ({
    uuid: randomUUID(),
    historyId: createHash('md5').update(`drift:${name}`).digest('hex'),
    name,
    fullName: `drift: ${name}`,
    status,
    stage: 'finished',
    start: now,
    stop: now,
    description,
    ...(message ? { statusDetails: { message } } : {}),
    labels: [
      { name: 'parentSuite', value: 'drift' },
      { name: 'epic', value: 'Drift' },
      ...Object.entries(labels).map(([name, value]) => ({ name, value })),
    ],
    steps: [],
    attachments: [],
    parameters: [],
  });
  return [
    ...r.findings.map((f) =>
      result(
        f.key,
        f.state === 'known' ? 'passed' : 'failed',
        { feature: f.operation, story: f.kind, severity: f.breaking ? 'critical' : 'normal' },
        `Example: ${JSON.stringify(f.example)}\n\nProposed patch: ${JSON.stringify(f.patch)}\n\nBreaking for generated clients: ${f.breaking ? 'yes' : 'no'}. Seen ${f.count} time(s).` +
          (f.owner ? `\n\nBaselined by ${f.owner} until ${f.expires}: ${f.reason}` : ''),
        f.state === 'known' ? undefined : `${f.state} drift: ${f.kind} at ${f.pointer || f.status}`,
      ),
    ),
  ];
}

/** Writes reports/drift.json, reports/drift.md and the drift suite's Allure results. */
export function writeDriftReport(r: DriftReport, reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'drift.json'), JSON.stringify(r, null, 2));
  writeFileSync(join(reportsDir, 'drift.md'), driftMarkdown(r));
  mkdirSync(allureDir, { recursive: true });
  for (const res of allureResults(r) as { uuid: string }[]) writeFileSync(join(allureDir, `${res.uuid}-result.json`), JSON.stringify(res));
}
