import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Recorded } from '../../checks/types';
import { secrets, toCurl } from '../../target/redact';
import type { Target } from '../../target/target';
import { type ReplayInfo, replayCommand } from './failure';

/** The name of the attachment each conformance test carries its defects in, for the reporters. */
export const DEFECTS_ATTACHMENT = 'defects (json)';

/** One finding of one exchange, as a reporter gathers it: which defect it is, and where it showed. */
export interface Occurrence {
  /** The broken rule: the check and the schema location or contract rule it breaks. */
  key: string;
  check: string;
  rule: string;
  basis?: string;
  note?: string;
  message: string;
  operation: string;
  /** `GET /api/... -> 200`. */
  request: string;
  curl: string;
  replay?: string;
  /** Met by the test's own requests (it fails the test), or during setup for it (it fails only the run). */
  own: boolean;
}

/** A distinct defect: one broken rule, however often and wherever it showed. */
export interface Defect extends Pick<Occurrence, 'key' | 'check' | 'rule' | 'basis' | 'note'> {
  /** What its first occurrence said. */
  message: string;
  count: number;
  operations: string[];
  tests: string[];
  /** Whether any test failed for it; if none did, it was met only in setup and fails the run alone. */
  failedTests: number;
  first: { test: string; request: string; curl: string; replay?: string };
}

export const defectKey = (f: Pick<Finding, 'check' | 'rule' | 'message'>) => `${f.check} ${f.rule ?? f.message}`;

/** The occurrences an exchange's findings are. */
export function occurrences(target: Target, rec: Recorded, own: boolean, replay?: ReplayInfo): Occurrence[] {
  const { request, response, operation } = rec.exchange;
  const line = `${request.method} ${request.path}${request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query)}` : ''} -> ${response.status}`;
  return rec.findings.map((f) => ({
    key: defectKey(f),
    check: f.check,
    rule: f.rule ?? f.check,
    basis: f.basis,
    note: f.note,
    message: secrets.redactText(f.message),
    operation: operation?.id ?? `${request.method} ${request.path}`,
    request: secrets.redactText(line),
    curl: toCurl(target.client.base, request),
    ...(replay ? { replay: replayCommand(replay) } : {}),
    own,
  }));
}

/**
 * Folds every test's occurrences into distinct defects, most frequent first, each with the
 * operations and tests it touched and its first reproduction: from a test that tests the rule
 * (not one that met it setting up), the first such test by title. Tests are taken in title order,
 * so the report is the same whatever order the workers ran them in, or however the run was sharded.
 */
export function groupDefects(byTest: { test: string; failed: boolean; occurrences: Occurrence[] }[]): Defect[] {
  const defects = new Map<string, Defect & { testSet: Set<string>; opSet: Set<string>; failedSet: Set<string>; firstOwn: boolean }>();
  for (const { test, failed, occurrences: list } of [...byTest].sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0))) {
    for (const o of list) {
      let d = defects.get(o.key);
      if (!d) {
        d = { key: o.key, check: o.check, rule: o.rule, basis: o.basis, note: o.note, message: o.message, count: 0, operations: [], tests: [], failedTests: 0, first: { test, request: o.request, curl: o.curl, replay: o.replay }, firstOwn: o.own, testSet: new Set(), opSet: new Set(), failedSet: new Set() };
        defects.set(o.key, d);
      } else if (o.own && !d.firstOwn) {
        Object.assign(d, { message: o.message, first: { test, request: o.request, curl: o.curl, replay: o.replay }, firstOwn: true });
      }
      d.count++;
      d.opSet.add(o.operation);
      d.testSet.add(test);
      if (failed && o.own) d.failedSet.add(test);
    }
  }
  return [...defects.values()]
    .map(({ testSet, opSet, failedSet, firstOwn: _own, ...d }) => ({ ...d, operations: [...opSet].sort(), tests: [...testSet].sort(), failedTests: failedSet.size }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The defects as a person reads them first: how many, then each with where and how to reproduce it. */
export function defectsText(defects: Defect[]): string[] {
  if (!defects.length) return ['No defects.'];
  const out = [`${defects.length} defect${defects.length === 1 ? '' : 's'}:`];
  defects.forEach((d, i) => {
    const basis = d.note ? ` (${d.basis === 'guess' ? 'rests on a guess' : 'rests on'}: ${d.note})` : '';
    out.push(
      `  ${i + 1}. [${d.check}] ${d.message}${basis}`,
      `     rule: ${d.rule}`,
      `     seen ${d.count} time${d.count === 1 ? '' : 's'} in ${d.operations.length} operation${d.operations.length === 1 ? '' : 's'} (${d.operations.slice(0, 6).join(', ')}${d.operations.length > 6 ? ', ...' : ''}), ${d.tests.length} test${d.tests.length === 1 ? '' : 's'}${d.failedTests ? `, failing ${d.failedTests}` : ', failing none: met only in setup'}`,
      `     first: ${d.first.request} in ${d.first.test}`,
      `     curl:  ${d.first.curl}`,
      ...(d.first.replay ? [`     replay: ${d.first.replay}`] : []),
    );
  });
  return out;
}

/** The occurrences a test recorded (its defects attachment), as a reporter reads them. */
export function occurrencesIn(attachments: readonly { name: string; body?: Buffer; path?: string }[]): Occurrence[] {
  const a = attachments.find((x) => x.name === DEFECTS_ATTACHMENT);
  const text = a?.body ? a.body.toString('utf8') : a?.path && existsSync(a.path) ? readFileSync(a.path, 'utf8') : undefined;
  return text ? (JSON.parse(text) as Occurrence[]) : [];
}

/** reports/defects.md and .json, and one failed Allure case per defect under "Defects". */
export function writeDefects(defects: Defect[], reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'defects.json'), `${JSON.stringify(defects, null, 2)}\n`);
  writeFileSync(join(reportsDir, 'defects.md'), `# Defects\n\n${defectsText(defects).join('\n')}\n`);
  if (!defects.length) return;
  mkdirSync(allureDir, { recursive: true });
  const now = Date.now();
  for (const d of defects) {
    const uuid = randomUUID();
    const lines = defectsText([d]).slice(1);
    writeFileSync(
      join(allureDir, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        historyId: createHash('md5').update(`defect:${d.key}`).digest('hex'),
        name: `[${d.check}] ${d.message}`,
        fullName: `defect: ${d.key}`,
        status: 'failed',
        stage: 'finished',
        start: now,
        stop: now,
        description: ['Seen:', '', ...lines.map((l) => `    ${l}`), '', 'Tests:', '', ...d.tests.map((t) => `- ${t}`)].join('\n'),
        statusDetails: { message: lines.join('\n') },
        labels: [
          { name: 'parentSuite', value: `Defects (${defects.length})` },
          { name: 'epic', value: 'Defects' },
          { name: 'story', value: d.check },
          { name: 'severity', value: 'critical' },
        ],
        steps: [],
        attachments: [],
        parameters: [{ name: 'occurrences', value: String(d.count) }, { name: 'operations', value: d.operations.join(', ') }],
      }),
    );
  }
}
