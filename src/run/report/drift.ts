import { writeGlobals } from './allure-globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../model/spec/load';
import type { Baseline, DriftStatus } from '../../model/contracts';
import type { DriftItem } from '../../checks/drift/observe';
import { combinePatches, operationsAt, type PatchOperation } from '../../model/spec/patch';
import { keepSmallerExample, type Observations } from '../../checks/drift/recorder';

export interface DriftFinding extends DriftItem {
  count: number;
  /** The operations the patch documents for: more than the drift's own where it patches a shared component or response. */
  shared: string[];
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
  /** Every new or expired finding's patch as one RFC 6902 document (drift.patch.json). */
  patch: PatchOperation[];
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
      return { ...d, shared: operationsAt(spec, d.patch[0]?.path ?? ''), state: baseline.status(d.key), ...(e ? { owner: e.owner, reason: e.reason, expires: e.expires } : {}) };
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
    patch: combinePatches(findings.filter((f) => f.state !== 'known').map((f) => f.patch)),
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
      const others = f.shared.filter((o) => o !== f.operation);
      lines.push(`| ${state} | ${f.operation} | ${f.status} | ${f.kind} | ${f.pointer || '–'} | ${code(f.example)} | ${code(f.patch)}${others.length ? ` (also documents ${others.length} other operation${others.length === 1 ? '' : 's'}: ${others.slice(0, 4).join(', ')}${others.length > 4 ? ', ...' : ''})` : ''} | ${f.breaking ? 'yes' : 'no'} |`);
    }
    if (r.patch.length) lines.push('', 'Every new finding documented at once: `drift.patch.json`, an RFC 6902 JSON Patch against the spec as written (apply it with any JSON Patch tool, review, commit).');
    lines.push('', 'Baseline an accepted finding in `contracts/drift-baseline.yaml` with its key (shown in `drift.json`), an owner, a reason and an expiry date.', '');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes reports/drift.json and drift.md, and drift.md into the Allure report (a global attachment: drift is no test). */
export function writeDriftReport(r: DriftReport, reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'drift.json'), JSON.stringify(r, null, 2));
  writeFileSync(join(reportsDir, 'drift.patch.json'), `${JSON.stringify(r.patch, null, 2)}\n`);
  writeFileSync(join(reportsDir, 'drift.md'), driftMarkdown(r));
  writeGlobals(allureDir, { attachments: [{ name: `drift.md (${r.summary.new} new, ${r.summary.expired} expired, ${r.summary.known} known)`, body: driftMarkdown(r), contentType: 'text/markdown', extension: 'md' }] });
}
