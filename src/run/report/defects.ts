import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Recorded } from '../../checks/types';
import { secrets, toCurl } from '../../target/redact';
import type { Target } from '../../target/target';
import { type ReplayInfo, replayCommand } from './failure';
import type { TestOutcome } from './outcome';

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

/** A setup the target refused, however many tests needed it: the request refused, and the tests that could not run. */
export interface Refusal {
  key: string;
  message: string;
  request?: string;
  curl?: string;
  tests: string[];
}

/** An error of the suite itself, in one test. */
export interface SuiteError {
  test: string;
  message: string;
}

/** What a run found, in the three kinds a failed test is: defects, setups the target refused, errors of the suite. */
export interface Verdicts {
  defects: Defect[];
  refusals: Refusal[];
  errors: SuiteError[];
}

/** Folds the refused setups of every test into one entry per refused request (operation and status), tests in title order. */
export function groupRefusals(byTest: { test: string; outcome?: TestOutcome }[]): Refusal[] {
  const out = new Map<string, Refusal>();
  for (const { test, outcome } of [...byTest].sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0))) {
    const r = outcome?.refused;
    if (!r) continue;
    const key = r.operation ? `${r.operation} -> ${r.status}` : r.message;
    const entry = out.get(key) ?? { key, message: r.message, request: r.request, curl: r.curl, tests: [] };
    entry.tests.push(test);
    out.set(key, entry);
  }
  return [...out.values()].sort((a, b) => b.tests.length - a.tests.length || a.key.localeCompare(b.key));
}

export function suiteErrors(byTest: { test: string; outcome?: TestOutcome }[]): SuiteError[] {
  return byTest.flatMap(({ test, outcome }) => (outcome?.errors ?? []).map((message) => ({ test, message }))).sort((a, b) => a.test.localeCompare(b.test));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The line a run's verdict opens with: how many of each kind (the defects first). */
export function verdictLine(v: Verdicts): string {
  const refusedTests = v.refusals.reduce((n, r) => n + r.tests.length, 0);
  return [plural(v.defects.length, 'defect'), ...(v.refusals.length ? [`${plural(v.refusals.length, 'setup')} refused by the target (in ${plural(refusedTests, 'test')})`] : []), ...(v.errors.length ? [plural(v.errors.length, 'suite error')] : [])].join(', ');
}

/** Everything a run found, as a person reads it first: the counts, each defect, each refused setup, each error of the suite. */
export function verdictText(v: Verdicts): string[] {
  if (!v.defects.length && !v.refusals.length && !v.errors.length) return ['No defects.'];
  const out = [`${verdictLine(v)}${v.defects.length ? ':' : '.'}`, ...defectsText(v.defects).slice(1)];
  if (v.refusals.length) {
    out.push('', `Setups the target refused (the tests that needed them could not run; not a defect of the rules they test):`);
    for (const [i, r] of v.refusals.entries()) out.push(`  ${i + 1}. ${r.message}`, ...(r.request ? [`     request: ${r.request}`, `     curl:  ${r.curl}`] : []), `     tests: ${r.tests.length} (${r.tests.slice(0, 3).join('; ')}${r.tests.length > 3 ? '; ...' : ''})`);
  }
  if (v.errors.length) {
    out.push('', 'Errors of the suite (please report them):');
    for (const [i, e] of v.errors.entries()) out.push(`  ${i + 1}. ${e.test}: ${e.message.split('\n')[0]}`);
  }
  return out;
}

/** The occurrences a test recorded (its defects attachment), as a reporter reads them. */
export function occurrencesIn(attachments: readonly { name: string; body?: Buffer; path?: string }[]): Occurrence[] {
  const a = attachments.find((x) => x.name === DEFECTS_ATTACHMENT);
  const text = a?.body ? a.body.toString('utf8') : a?.path && existsSync(a.path) ? readFileSync(a.path, 'utf8') : undefined;
  return text ? (JSON.parse(text) as Occurrence[]) : [];
}

/** One failed Allure case of a derived suite ("Defects", "Setups refused", "Suite errors"). */
function allureCase(allureDir: string, suite: string, key: string, name: string, lines: string[], extra: { story?: string; parameters?: { name: string; value: string }[]; status?: string }): void {
  const uuid = randomUUID();
  const now = Date.now();
  writeFileSync(
    join(allureDir, `${uuid}-result.json`),
    JSON.stringify({
      uuid,
      historyId: createHash('md5').update(key).digest('hex'),
      name,
      fullName: key,
      status: extra.status ?? 'failed',
      stage: 'finished',
      start: now,
      stop: now,
      description: lines.map((l) => `    ${l}`).join('\n'),
      statusDetails: { message: lines.join('\n') },
      labels: [
        { name: 'parentSuite', value: suite },
        { name: 'epic', value: suite.replace(/ \(\d+\)$/, '') },
        ...(extra.story ? [{ name: 'story', value: extra.story }] : []),
        { name: 'severity', value: 'critical' },
      ],
      steps: [],
      attachments: [],
      parameters: extra.parameters ?? [],
    }),
  );
}

/**
 * reports/defects.md and .json, and one failed Allure case per defect under "Defects", per
 * refused setup under "Setups refused" and per error of the suite under "Suite errors": every
 * failed test is counted in one of the three, none dropped.
 */
export function writeVerdicts(v: Verdicts, reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'defects.json'), `${JSON.stringify(v, null, 2)}\n`);
  writeFileSync(join(reportsDir, 'defects.md'), `# Defects\n\n${verdictText(v).join('\n')}\n`);
  if (!v.defects.length && !v.refusals.length && !v.errors.length) return;
  mkdirSync(allureDir, { recursive: true });
  for (const d of v.defects) {
    const lines = defectsText([d]).slice(1);
    allureCase(allureDir, `Defects (${v.defects.length})`, `defect: ${d.key}`, `[${d.check}] ${d.message}`, [...lines, '', 'Tests:', ...d.tests.map((t) => `- ${t}`)], {
      story: d.check,
      parameters: [{ name: 'occurrences', value: String(d.count) }, { name: 'operations', value: d.operations.join(', ') }],
    });
  }
  for (const r of v.refusals) {
    allureCase(allureDir, `Setups refused (${v.refusals.length})`, `refused: ${r.key}`, `setup refused: ${r.message}`, [...(r.request ? [`request: ${r.request}`, `curl:  ${r.curl}`] : []), '', 'Tests that could not run:', ...r.tests.map((t) => `- ${t}`)], {
      status: 'broken',
      parameters: [{ name: 'tests', value: String(r.tests.length) }],
    });
  }
  for (const [i, e] of v.errors.entries()) allureCase(allureDir, `Suite errors (${v.errors.length})`, `suite error: ${e.test} ${i}`, `suite error in ${e.test}`, e.message.split('\n'), { status: 'broken' });
}
