import { randomUUID, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../model/spec/load';
import type { Baseline, DriftStatus } from '../../model/contracts';
import { type DriftItem, documentedFields } from '../../checks/drift/observe';
import type { Observations } from '../../checks/drift/recorder';

export interface DriftFinding extends DriftItem {
  count: number;
  /** new / known (baselined) / expired (baselined, but past its date). */
  state: DriftStatus;
  owner?: string;
  reason?: string;
  expires?: string;
}

export interface OperationCoverage {
  operation: string;
  documentedStatuses: string[];
  seenStatuses: string[];
  missingStatuses: string[];
  /** Per documented status with a body: schema fields never seen in a response. */
  missingFields: Record<string, string[]>;
  fieldCoverage: { documented: number; seen: number };
}

export interface DriftReport {
  generatedAt: string;
  spec: string;
  summary: { new: number; known: number; expired: number; operations: number; statusCoverage: string; fieldCoverage: string };
  findings: DriftFinding[];
  coverage: OperationCoverage[];
}

export function buildDriftReport(spec: Spec, baseline: Baseline, observations: Observations[]): DriftReport {
  const merged = new Map<string, DriftItem & { count: number }>();
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const o of observations) {
    for (const d of o.drift) {
      const m = merged.get(d.key);
      if (m) m.count += d.count;
      else merged.set(d.key, { ...d });
    }
    for (const [op, byStatus] of Object.entries(o.seen)) {
      const s = seen.get(op) ?? new Map<string, Set<string>>();
      seen.set(op, s);
      for (const [status, fields] of Object.entries(byStatus)) {
        const f = s.get(status) ?? new Set<string>();
        s.set(status, f);
        for (const x of fields) f.add(x);
      }
    }
  }
  const findings: DriftFinding[] = [...merged.values()]
    .map((d) => {
      const e = baseline.entry(d.key);
      return { ...d, state: baseline.status(d.key), ...(e ? { owner: e.owner, reason: e.reason, expires: e.expires } : {}) };
    })
    .sort((a, b) => (a.state === b.state ? a.key.localeCompare(b.key) : a.state === 'known' ? 1 : -1));

  let docStatuses = 0, seenStatuses = 0, docFields = 0, seenFields = 0;
  const coverage: OperationCoverage[] = spec.operations.map((op) => {
    const byStatus = seen.get(op.id) ?? new Map<string, Set<string>>();
    const documented = [...op.responses.keys()];
    const seenList = [...byStatus.keys()].filter((s) => op.responses.has(s));
    const missingFields: Record<string, string[]> = {};
    let opDoc = 0, opSeen = 0;
    for (const [status, res] of op.responses) {
      if (!res.schemaPointer) continue;
      const fields = documentedFields(spec.doc, res.schemaPointer);
      const present = byStatus.get(status) ?? new Set<string>();
      const missing = fields.filter((f) => !present.has(f));
      opDoc += fields.length;
      opSeen += fields.length - missing.length;
      if (missing.length && present.size) missingFields[status] = missing;
    }
    docStatuses += documented.length;
    seenStatuses += seenList.length;
    docFields += opDoc;
    seenFields += opSeen;
    return {
      operation: op.id,
      documentedStatuses: documented,
      seenStatuses: seenList.sort(),
      missingStatuses: documented.filter((s) => !byStatus.has(s)),
      missingFields,
      fieldCoverage: { documented: opDoc, seen: opSeen },
    };
  });
  const pct = (a: number, b: number) => `${a}/${b} (${b ? Math.round((100 * a) / b) : 100}%)`;
  return {
    generatedAt: new Date().toISOString(),
    spec: spec.file,
    summary: {
      new: findings.filter((f) => f.state === 'new').length,
      known: findings.filter((f) => f.state === 'known').length,
      expired: findings.filter((f) => f.state === 'expired').length,
      operations: spec.operations.length,
      statusCoverage: pct(seenStatuses, docStatuses),
      fieldCoverage: pct(seenFields, docFields),
    },
    findings,
    coverage,
  };
}

const code = (v: unknown) => `\`${JSON.stringify(v)?.replace(/`/g, "'").slice(0, 120)}\``;

export function driftMarkdown(r: DriftReport): string {
  const lines = [
    '# Spec drift',
    '',
    `${r.summary.new} new, ${r.summary.expired} expired, ${r.summary.known} known (baselined) finding(s). ` +
      `Status coverage ${r.summary.statusCoverage}, field coverage ${r.summary.fieldCoverage}.`,
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
  lines.push('## Coverage', '', '| operation | statuses seen | never seen | fields seen |', '|---|---|---|---|');
  for (const c of r.coverage) {
    lines.push(`| ${c.operation} | ${c.seenStatuses.join(', ') || '–'} | ${c.missingStatuses.join(', ') || '–'} | ${c.fieldCoverage.seen}/${c.fieldCoverage.documented} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Allure results for the "drift" suite: one case per finding (failed unless known), one per operation's coverage. */
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
    ...r.coverage.map((c) =>
      result(`coverage ${c.operation}`, 'passed', { feature: c.operation, story: 'coverage' }, `Statuses seen: ${c.seenStatuses.join(', ')}; never seen: ${c.missingStatuses.join(', ') || 'none'}; fields seen ${c.fieldCoverage.seen}/${c.fieldCoverage.documented}.`),
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
