import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Recorded } from '../../checks/types';
import { BASIC_FIRST } from '../../checks/registry';
import { redactJson, secrets, toCurl } from '../../target/redact';
import type { Target } from '../../target/target';
import { againCommand, type ReplayInfo } from './failure';
import type { TestOutcome } from './outcome';
import type { Reproduction } from '../reproduction';
import { writeGlobals } from './allure-globals';
import { type Unjudged, unjudgedText } from '../calibrate/unjudged';
import { reproScript } from './repro-script';

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
  /** What the request sent (body, query), as JSON, redacted and cut short: the value that broke it. */
  sent?: string;
  /** The command that runs it again: the test that showed it (a property's, with its seed and path). */
  replay?: string;
  /** Other rules the same answer broke: reported under this one, the most basic (one cause, one defect). */
  also?: string[];
  /** The requests that make what it needs, then it: runs after the run (`npm run repro`). */
  reproduction?: Reproduction;
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
  first: { test: string; request: string; curl: string; sent?: string; replay?: string; reproduction?: Reproduction };
  /** Other rules its answers broke, listed under it. */
  also: string[];
}

export const defectKey = (f: Pick<Finding, 'check' | 'rule' | 'message'>) => `${f.check} ${f.rule ?? f.message}`;

const rank = (f: Finding) => BASIC_FIRST.indexOf(f.check);

/**
 * What a finding is about in its answer: the place in the body it names (array positions folded),
 * or the answer as a whole (its status, its format, what it did).
 */
const subjectOf = (f: Finding) => (f.pointer ? f.pointer.replace(/\/\d+(?=\/|$)/g, '/[]') : '');

/**
 * The occurrences an exchange's findings are, one per cause: findings about one thing (the
 * status, or one place in the body) are one, under the most basic rule broken there, the others
 * listed under it; a server error is the cause of everything else wrong with its answer (a 500
 * is not also a refused valid request). Two faults in two fields stay two.
 * `replay` is the command that runs the request again: a property's seed and path, or the test.
 */
export function occurrences(target: Target, rec: Recorded, own: boolean, replay: ReplayInfo | string | undefined, reproduction?: Reproduction): Occurrence[] {
  if (!rec.findings.length) return [];
  const { request, response, operation } = rec.exchange;
  const line = `${request.method} ${request.path}${request.query && Object.keys(request.query).length ? `?${new URLSearchParams(request.query)}` : ''} -> ${response.status}`;
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(redactJson(request.body)));
  const sent = body === undefined ? undefined : secrets.redactText(body.length > 300 ? `${body.slice(0, 300)}…` : body);
  const sorted = [...rec.findings].sort((a, b) => rank(a) - rank(b));
  const serverError = sorted[0].check === 'not_a_server_error';
  const causes = new Map<string, Finding[]>();
  for (const f of sorted) {
    const subject = serverError ? '' : subjectOf(f);
    causes.set(subject, [...(causes.get(subject) ?? []), f]);
  }
  return [...causes.values()].map(([f, ...others]) => {
    const also = [...new Set(others.map((o) => `[${o.check}] ${secrets.redactText(o.message)}`))];
    return {
      key: defectKey(f),
      check: f.check,
      rule: f.rule ?? f.check,
      basis: f.basis,
      note: f.note,
      message: secrets.redactText(f.message),
      operation: operation?.id ?? `${request.method} ${request.path}`,
      request: secrets.redactText(line),
      curl: toCurl(target.client.base, request),
      ...(sent ? { sent } : {}),
      ...(replay ? { replay: againCommand(replay) } : {}),
      ...(also.length ? { also } : {}),
      ...(reproduction ? { reproduction } : {}),
      own,
    };
  });
}

/**
 * Folds every test's occurrences into distinct defects, most frequent first, each with the
 * operations and tests it touched and its plainest reproduction: from a test that tests the rule
 * (not one that met it setting up), the one needing fewest requests, the first by title among
 * equals. Tests are taken in title order,
 * so the report is the same whatever order the workers ran them in, or however the run was sharded.
 */
export function groupDefects(byTest: { test: string; failed: boolean; occurrences: Occurrence[] }[]): Defect[] {
  const defects = new Map<string, Defect & { testSet: Set<string>; opSet: Set<string>; failedSet: Set<string>; alsoSet: Set<string>; firstOwn: boolean }>();
  for (const { test, failed, occurrences: list } of [...byTest].sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : 0))) {
    for (const o of list) {
      let d = defects.get(o.key);
      if (!d) {
        d = { key: o.key, check: o.check, rule: o.rule, basis: o.basis, note: o.note, message: o.message, count: 0, operations: [], tests: [], failedTests: 0, first: firstOf(test, o), also: [], firstOwn: o.own, testSet: new Set(), opSet: new Set(), failedSet: new Set(), alsoSet: new Set() };
        defects.set(o.key, d);
      } else if (o.own && (!d.firstOwn || stepsOf(o) < stepsOf(d.first))) {
        Object.assign(d, { message: o.message, first: firstOf(test, o), firstOwn: true });
      }
      // Other rules: more places of the same rule in one answer are the same defect.
      for (const a of o.also ?? []) if (!a.startsWith(`[${o.check}]`)) d.alsoSet.add(a.replace(/\] .*$/, ']'));
      d.count++;
      d.opSet.add(o.operation);
      d.testSet.add(test);
      if (failed && o.own) d.failedSet.add(test);
    }
  }
  return [...defects.values()]
    .map(({ testSet, opSet, failedSet, alsoSet, firstOwn: _own, ...d }) => ({ ...d, operations: [...opSet].sort(), tests: [...testSet].sort(), failedTests: failedSet.size, also: [...alsoSet].sort() }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** How many requests reproducing it takes (the fewer, the plainer the example); none known, many. */
const stepsOf = (o: { reproduction?: Reproduction }) => o.reproduction?.steps.length ?? Number.MAX_SAFE_INTEGER;

const firstOf = (test: string, o: Occurrence): Defect['first'] => ({ test, request: o.request, curl: o.curl, ...(o.sent ? { sent: o.sent } : {}), ...(o.replay ? { replay: o.replay } : {}), ...(o.reproduction ? { reproduction: o.reproduction } : {}) });

const basisOf = (d: Defect) => (d.note ? ` (${d.basis === 'guess' ? 'rests on a guess' : 'rests on'}: ${d.note})` : '');
const seenOf = (d: Defect) =>
  `seen ${d.count} time${d.count === 1 ? '' : 's'} in ${d.operations.length} operation${d.operations.length === 1 ? '' : 's'} (${d.operations.slice(0, 6).join(', ')}${d.operations.length > 6 ? ', ...' : ''}), ${d.tests.length} test${d.tests.length === 1 ? '' : 's'}${d.failedTests ? `, failing ${d.failedTests}` : ', failing none: met only in setup'}`;

/** The command that reproduces defect `n` of a run, after it: `npm run repro` (see src/cli/repro.ts). */
export const reproCommand = (n: number, run?: string) => `npm run repro -- ${n}${run ? ` --run ${run}` : ''}`;

/** The defects as a person reads them first: how many, then each with where, the request that showed it, and how to run it again. */
export function defectsText(defects: Defect[], run?: string, from = 1): string[] {
  if (!defects.length) return ['No defects.'];
  const out = [`${defects.length} defect${defects.length === 1 ? '' : 's'}:`];
  defects.forEach((d, i) => {
    const r = d.first.reproduction;
    out.push(
      `  ${i + from}. [${d.check}] ${d.message}${basisOf(d)}`,
      `     rule: ${d.rule}`,
      `     ${seenOf(d)}`,
      ...(d.also.length ? [`     also broke: ${d.also.join(', ')} (reported under this one)`] : []),
      `     first: ${d.first.request} in ${d.first.test}`,
      ...(d.first.sent ? [`     sent:  ${d.first.sent}`] : []),
      // A reproduction makes what the request needs; the bare request names what the run deleted since.
      ...(r ? [`     again: ${reproCommand(i + from, run)} (${r.steps.length === 1 ? 'the request alone' : `the request after the ${r.steps.length - 1} that make what it needs`}, judged)`] : [`     curl:  ${d.first.curl}`]),
      ...(d.first.replay ? [`     test:  ${d.first.replay}`] : []),
    );
  });
  return out;
}

/** The same in Markdown (defects.md): a section per defect, the value sent, its reproduction as a script and the commands in code blocks. */
export function defectsMarkdown(v: Verdicts): string {
  const out = [`# ${verdictLine(v)}`, ''];
  const u = v.unjudged ? unjudgedText(v.unjudged) : [];
  if (u.length) out.push(`> ${u[0]}`, '>', `> ${u[1].trim()}`, '');
  v.defects.forEach((d, i) => {
    out.push(`## ${i + 1}. \`${d.check}\`: ${d.message}`, '', `- rule: \`${d.rule}\`${basisOf(d)}`, `- ${seenOf(d)}`);
    if (d.also.length) out.push(`- also broke (reported under this one): ${d.also.map((a) => `\`${a.slice(1, -1)}\``).join(', ')}`);
    out.push(`- first: \`${d.first.request}\` in *${d.first.test}*`, '');
    if (d.first.sent) out.push('Sent:', '', '```json', d.first.sent, '```', '');
    if (d.first.reproduction) {
      out.push('Reproduce it on your target (makes what the request needs, sends it, judges the answer, deletes what it made):', '', '```sh', reproCommand(i + 1, v.run), '```', '');
      out.push('The same as a script (curl and jq):', '', '```sh', reproScript(d.first.reproduction, `[${d.check}] ${d.message}`).trimEnd(), '```', '');
    } else out.push('The request:', '', '```sh', d.first.curl, '```', '');
    if (d.first.replay) out.push('The test that showed it:', '', '```sh', d.first.replay, '```', '');
  });
  if (v.refusals.length) {
    out.push('## Setups the target refused', '', 'The tests that needed them could not run; not a defect of the rules they test.', '');
    for (const r of v.refusals) out.push(`- ${r.message} (${r.tests.length} test${r.tests.length === 1 ? '' : 's'})`, ...(r.curl ? ['', '  ```sh', `  ${r.curl}`, '  ```'] : []), '');
  }
  if (v.errors.length) {
    out.push('## Errors of the suite (please report them)', '');
    for (const e of v.errors) out.push(`- *${e.test}*: ${e.message.split('\n')[0]}`);
  }
  return `${out.join('\n')}\n`;
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
  /** The run's directory name under reports/runs/ (what `npm run repro -- --run` takes). */
  run?: string;
  /** The rules the run's target profile cannot fail, said before anything else. */
  unjudged?: Unjudged;
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
  const unjudgedLines = v.unjudged ? unjudgedText(v.unjudged) : [];
  const first = unjudgedLines.length ? [...unjudgedLines, ''] : [];
  if (!v.defects.length && !v.refusals.length && !v.errors.length) return [...first, 'No defects.'];
  const out = [...first, `${verdictLine(v)}${v.defects.length ? ':' : '.'}`, ...defectsText(v.defects, v.run).slice(1)];
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

/**
 * reports/defects.md and .json, and in the Allure report each defect, refused setup and error of
 * the suite as a global error (its home page lists them, under the report's name, which leads
 * with the counts), defects.md and each defect's reproduction script as global attachments.
 */
export function writeVerdicts(v: Verdicts, reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'defects.json'), `${JSON.stringify(v, null, 2)}\n`);
  const markdown = defectsMarkdown(v);
  writeFileSync(join(reportsDir, 'defects.md'), markdown);
  const errors = [
    ...v.defects.map((d, i) => ({
      message: `defect ${i + 1} of ${v.defects.length}: [${d.check}] ${d.message}`,
      trace: [...(d.note ? [basisOf(d).trim().slice(1, -1)] : []), ...defectsText([d], v.run, i + 1).slice(2).map((l) => l.trim()), '', 'Tests:', ...d.tests.map((t) => `- ${t}`)].join('\n'),
    })),
    ...v.refusals.map((r) => ({ message: `setup refused by the target: ${r.message}`, trace: [...(r.request ? [`request: ${r.request}`, `curl:  ${r.curl}`] : []), '', 'Tests that could not run:', ...r.tests.map((t) => `- ${t}`)].join('\n') })),
    ...v.errors.map((e) => ({ message: `suite error (please report): ${e.message.split('\n')[0]}`, trace: `${e.test}\n\n${e.message}` })),
  ];
  const scripts = v.defects.flatMap((d, i) => (d.first.reproduction ? [{ name: `defect ${i + 1}: reproduce.sh`, body: reproScript(d.first.reproduction, `[${d.check}] ${d.message}`), contentType: 'text/plain', extension: 'sh' }] : []));
  writeGlobals(allureDir, { errors, attachments: [{ name: 'defects.md', body: markdown, contentType: 'text/markdown', extension: 'md' }, ...scripts] });
}
