import { writeGlobals } from '../report/allure-globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedFields } from '../../checks/drift/observe';
import type { Observations } from '../../checks/drift/recorder';
import { keywordsOf } from '../../model/spec/keywords';
import type { TargetProfile } from '../../model/contracts';
import type { Operation, Spec } from '../../model/spec/load';
import { resourcesOf } from '../../model/spec/resources';
import { type CoverageObservations, type OperationInputs, slot } from './record';

/**
 * The test coverage levels of Martin-Lopez, Segura and Ruiz-Cortés ("Test Coverage Criteria for
 * RESTful Web APIs", A-TEST 2019), per operation: each level holds when its criteria and those of
 * every level below hold.
 */
export const LEVELS = [
  { level: 1, criteria: ['paths'] },
  { level: 2, criteria: ['operations'] },
  { level: 3, criteria: ['content types'] },
  { level: 4, criteria: ['parameters', 'status classes'] },
  { level: 5, criteria: ['parameter values', 'status codes'] },
  { level: 6, criteria: ['response properties'] },
  { level: 7, criteria: ['operation flows'] },
] as const;

export type Criterion = (typeof LEVELS)[number]['criteria'][number];

export interface OperationCoverage {
  operation: string;
  /** The highest test coverage level reached (0: not even the path). */
  level: number;
  /** Per criterion: covered and total. */
  criteria: Record<Criterion, [number, number]>;
  /** Keywords of its inputs met both satisfied and violated, of all of them. */
  keywords: { bothWays: number; total: number; neverViolated: string[]; neverSatisfied: string[] };
  /** What the next levels miss, by name. */
  gaps: string[];
  requests: number;
}

export interface CoverageReport {
  /** The lowest level over the operations: the run's level. */
  level: number;
  requests: number;
  criteria: Record<Criterion, [number, number]>;
  keywords: { bothWays: number; total: number };
  /** Statuses a conforming server is not expected to give (5xx, 429): documented, not counted. */
  notExpected: string;
  operations: OperationCoverage[];
}

const EMPTY: OperationInputs = { requests: 0, params: {}, keywords: {}, requestTypes: {}, responseTypes: {} };

function mergeInputs(all: CoverageObservations[]): Map<string, OperationInputs> {
  const out = new Map<string, OperationInputs>();
  for (const o of all) {
    for (const [id, x] of Object.entries(o.operations)) {
      const m = out.get(id) ?? structuredClone(EMPTY);
      m.requests += x.requests;
      for (const [p, values] of Object.entries(x.params)) {
        const into = slot(m.params, p, (): Record<string, number> => ({}));
        for (const [v, n] of Object.entries(values)) into[v] = (into[v] ?? 0) + n;
      }
      for (const [k, [s, v]] of Object.entries(x.keywords)) {
        const c = slot(m.keywords, k, (): [number, number] => [0, 0]);
        c[0] += s;
        c[1] += v;
      }
      for (const [t, n] of Object.entries(x.requestTypes)) m.requestTypes[t] = (m.requestTypes[t] ?? 0) + n;
      for (const [t, n] of Object.entries(x.responseTypes)) m.responseTypes[t] = (m.responseTypes[t] ?? 0) + n;
      out.set(id, m);
    }
  }
  return out;
}

/** The flows the resources declare: create then read, list, update and read, delete and read; per route set. */
function expectedFlows(spec: Spec): string[][] {
  return [...resourcesOf(spec).byKind.values()].flatMap((r) =>
    r.routes.flatMap((s) => [[s.create.id, s.read.id], [s.create.id, s.list.id], ...(s.update ? [[s.create.id, s.update.id, s.read.id]] : []), [s.create.id, s.delete.id, s.read.id]]),
  );
}

const isSubsequence = (want: string[], seq: string[]) => {
  let i = 0;
  for (const x of seq) if (x === want[i]) i++;
  return i === want.length;
};

const counted = (status: string) => /^[24]/.test(status) && status !== '429';

/** Builds the coverage report from the run's request-side observations and the drift recorder's response-side ones. */
export function buildCoverage(spec: Spec, profile: TargetProfile, inputs: CoverageObservations[], responses: Observations[]): CoverageReport {
  // A status that answers an open question another way than this target does is never seen from it.
  const expectedStatus = (op: Operation, status: string) => {
    const q = op.responses.get(status)?.question;
    return counted(status) && (!q || q.answer === undefined || profile.accepts(q.id, q.answer));
  };
  const merged = mergeInputs(inputs);
  const seenFields = new Map<string, Map<string, Set<string>>>();
  for (const o of responses) {
    for (const [op, byStatus] of Object.entries(o.seen)) {
      const m = seenFields.get(op) ?? new Map<string, Set<string>>();
      seenFields.set(op, m);
      for (const [status, fields] of Object.entries(byStatus)) m.set(status, new Set([...(m.get(status) ?? []), ...fields]));
    }
  }
  const flows = inputs.flatMap((o) => o.flows);
  const expected = expectedFlows(spec);
  const pathsSeen = new Set(spec.operations.filter((op) => (merged.get(op.id)?.requests ?? 0) > 0).map((op) => op.path));

  const operations = spec.operations.map((op): OperationCoverage => {
    const x = merged.get(op.id) ?? EMPTY;
    const gaps: string[] = [];
    const crit = {} as Record<Criterion, [number, number]>;
    const tally = (c: Criterion, items: [string, boolean][]) => {
      crit[c] = [items.filter(([, ok]) => ok).length, items.length];
      for (const [name, ok] of items) if (!ok) gaps.push(`${c}: ${name}`);
    };
    const statusesSeen = new Set(Object.keys(x.responseTypes).map((k) => k.split(' ')[0]));
    const typesSeen = new Set(Object.keys(x.responseTypes).map((k) => k.split(' ')[1]));
    tally('paths', [[op.path, pathsSeen.has(op.path)]]);
    tally('operations', [[op.id, x.requests > 0]]);
    const responseTypes = new Set([...op.responses.values()].filter((r) => counted(r.status)).map((r) => (r.schemaPointer ? 'application/json' : 'none')));
    tally('content types', [...(op.requestBody ? [['request application/json', (x.requestTypes['application/json'] ?? 0) > 0] as [string, boolean]] : []), ...[...responseTypes].map((t): [string, boolean] => [`response ${t}`, typesSeen.has(t)])]);
    tally('parameters', op.params.map((p): [string, boolean] => [`${p.in} ${p.name}`, x.params[`${p.in}:${p.name}`] !== undefined]));
    const classes = [...new Set([...op.responses.keys()].filter(counted).map((s) => `${s[0]}XX`))];
    tally('status classes', classes.map((c): [string, boolean] => [c, [...statusesSeen].some((s) => `${s[0]}XX` === c)]));
    const values = op.params.flatMap((p): [string, boolean][] => {
      const all: unknown[] = Array.isArray(p.schema?.enum) ? p.schema.enum : p.schema?.type === 'boolean' ? [true, false] : [];
      return all.map((v) => [`${p.name}=${v}`, (x.params[`${p.in}:${p.name}`]?.[String(v)] ?? 0) > 0]);
    });
    tally('parameter values', values);
    tally('status codes', [...op.responses.keys()].filter((st) => expectedStatus(op, st)).map((st): [string, boolean] => [st, statusesSeen.has(st)]));
    const ok = [...op.responses.values()].filter((r) => r.status.startsWith('2') && r.schemaPointer);
    const props = ok.flatMap((r): [string, boolean][] => {
      const seen = seenFields.get(op.id)?.get(r.status) ?? new Set<string>();
      return documentedFields(spec.doc, r.schemaPointer!).map((f) => [`${r.status} ${f}`, seen.has(f)]);
    });
    tally('response properties', props);
    tally('operation flows', expected.filter((f) => f.includes(op.id)).map((f): [string, boolean] => [f.join(' -> '), flows.some((seq) => isSubsequence(f, seq))]));

    let level = 0;
    for (const l of LEVELS) {
      if (!l.criteria.every((c) => crit[c][0] === crit[c][1])) break;
      level = l.level;
    }
    // A parameter arrives as a string whatever is sent: its `type: string` cannot be broken.
    const universe = [
      ...op.params.flatMap((p) => keywordsOf(spec.doc, p.schemaPointer).filter((k) => !(k === `${p.schemaPointer}/type` && p.schema?.type === 'string'))),
      ...(op.requestBody ? keywordsOf(spec.doc, op.requestBody.schemaPointer) : []),
    ];
    const both = universe.filter((k) => x.keywords[k]?.[0] && x.keywords[k]?.[1]);
    return {
      operation: op.id,
      level,
      criteria: crit,
      keywords: { bothWays: both.length, total: universe.length, neverViolated: universe.filter((k) => !x.keywords[k]?.[1]), neverSatisfied: universe.filter((k) => !x.keywords[k]?.[0]) },
      gaps,
      requests: x.requests,
    };
  });
  const criteria = {} as Record<Criterion, [number, number]>;
  for (const { criteria: names } of LEVELS) {
    for (const c of names) criteria[c] = operations.reduce<[number, number]>((acc, o) => [acc[0] + o.criteria[c][0], acc[1] + o.criteria[c][1]], [0, 0]);
  }
  return {
    level: Math.min(...operations.map((o) => o.level)),
    requests: operations.reduce((n, o) => n + o.requests, 0),
    criteria,
    keywords: operations.reduce((acc, o) => ({ bothWays: acc.bothWays + o.keywords.bothWays, total: acc.total + o.keywords.total }), { bothWays: 0, total: 0 }),
    notExpected: '5xx and 429 are documented on most operations; a conforming server gives them only when it fails or is overloaded, so no level counts them',
    operations,
  };
}

const pct = ([a, b]: [number, number]) => (b ? `${a}/${b} (${Math.round((a / b) * 100)}%)` : 'n/a');

export function coverageMarkdown(r: CoverageReport, opOf: (id: string) => Operation | undefined): string {
  const lines = [
    '# Spec coverage',
    '',
    `Test coverage level of the run (the lowest over the operations): **TCL${r.level}** of 7; ${r.requests} requests to operations of the spec.`,
    '',
    '| criterion | covered |',
    '|---|---|',
    ...Object.entries(r.criteria).map(([c, v]) => `| ${c} | ${pct(v)} |`),
    `| input keywords met satisfied and violated | ${pct([r.keywords.bothWays, r.keywords.total])} |`,
    '',
    `Levels after Martin-Lopez et al. (2019): 1 paths, 2 operations, 3 content types, 4 parameters and status classes, 5 parameter values and status codes, 6 response properties, 7 operation flows. ${r.notExpected}.`,
    '',
    '| operation | TCL | requests | statuses | parameters | response properties | keywords both ways | first gaps |',
    '|---|---|---|---|---|---|---|---|',
    ...r.operations.map((o) => `| \`${o.operation}\` (${opOf(o.operation)?.method.toUpperCase()} ${opOf(o.operation)?.path}) | ${o.level} | ${o.requests} | ${pct(o.criteria['status codes'])} | ${pct(o.criteria.parameters)} | ${pct(o.criteria['response properties'])} | ${pct([o.keywords.bothWays, o.keywords.total])} | ${o.gaps.slice(0, 3).join('; ')}${o.gaps.length > 3 ? `; ${o.gaps.length - 3} more` : ''} |`),
    '',
    '## Every gap',
    '',
    ...r.operations.flatMap((o) => (o.gaps.length ? [`- \`${o.operation}\`: ${o.gaps.join('; ')}`] : [])),
    '',
  ];
  return lines.join('\n');
}

/** The coverage of a run in a line, for the terminal. */
export function coverageLine(r: CoverageReport): string {
  const low = r.operations.filter((o) => o.level === r.level).map((o) => o.operation);
  const [seen, documented] = r.criteria['status codes'];
  return `coverage: TCL${r.level} of 7 (lowest: ${low.slice(0, 4).join(', ')}${low.length > 4 ? ', ...' : ''}); status codes ${seen}/${documented}, input keywords both ways ${r.keywords.bothWays}/${r.keywords.total} (coverage.md)`;
}

/** reports/coverage.md and .json, and coverage.md in the Allure report (a global attachment: coverage is no test). */
export function writeCoverage(r: CoverageReport, spec: Spec, reportsDir: string, allureDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, 'coverage.json'), `${JSON.stringify(r, null, 2)}\n`);
  const markdown = coverageMarkdown(r, (id) => spec.byId.get(id));
  writeFileSync(join(reportsDir, 'coverage.md'), markdown);
  writeGlobals(allureDir, { attachments: [{ name: `coverage.md (TCL${r.level} of 7)`, body: markdown, contentType: 'text/markdown', extension: 'md' }] });
}
