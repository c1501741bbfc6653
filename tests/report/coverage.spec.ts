import { expect, test } from '@playwright/test';
import type { Exchange } from '../../src/target/exchange';
import { DriftRecorder } from '../../src/checks/drift/recorder';
import { loadContracts } from '../../src/model/contracts';
import { keywordsMet, keywordsOf } from '../../src/model/spec/keywords';
import { loadSpec, DEFAULT_SPEC } from '../../src/model/spec/load';
import { validatorsFor } from '../../src/model/validators';
import { CoverageRecorder } from '../../src/run/coverage/record';
import { buildCoverage, coverageMarkdown } from '../../src/run/coverage/report';

/** Coverage: what each input met of the spec, both ways, and the levels the research defines. */

const spec = loadSpec(DEFAULT_SPEC);
const validators = validatorsFor(spec);
const profile = loadContracts(undefined, 'embedded').profile;
const ORG = '3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f50';
const USER = '3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f51';

function exchange(opId: string, path: string, status: number, body?: unknown, json?: unknown): Exchange {
  const op = spec.byId.get(opId)!;
  return {
    operation: op,
    request: { method: op.method.toUpperCase(), path, headers: { 'X-Polytomic-Version': '2025-09-18', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, body },
    response: { status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json ?? {}), json: json ?? {}, elapsedMs: 1 },
    intent: { kind: 'positive' },
  };
}

test('a keyword counts as covered only once an input satisfied it and another violated it', () => {
  const pointer = spec.byId.get('users_create')!.requestBody!.schemaPointer;
  const required = keywordsOf(spec.doc, pointer).filter((k) => k.includes('/required/'));
  expect(required.length).toBeGreaterThan(0);
  const email = required.find((k) => k.endsWith('/required/email'))!;
  expect(keywordsMet(spec.doc, pointer, { email: 'a@example.com' })).toContain(email);
  // Leaving the field out meets its `required` (and breaks it).
  expect(keywordsMet(spec.doc, pointer, {})).toContain(email);

  const rec = new CoverageRecorder(spec, validators);
  const path = `/api/organizations/${ORG}/users`;
  rec.record(exchange('users_create', path, 200, { email: 'a@example.com' }, { data: { id: USER, email: 'a@example.com', organization_id: ORG } }));
  let report = buildCoverage(spec, profile, [rec.snapshot()], []);
  let users = report.operations.find((o) => o.operation === 'users_create')!;
  expect(users.keywords.neverViolated).toContain(email);
  expect(users.keywords.neverSatisfied).not.toContain(email);

  rec.record(exchange('users_create', path, 400, {}, { message: 'email is required' }));
  report = buildCoverage(spec, profile, [rec.snapshot()], []);
  users = report.operations.find((o) => o.operation === 'users_create')!;
  expect(users.keywords.neverViolated).not.toContain(email);
  expect(users.keywords.bothWays).toBeGreaterThan(0);
  expect(users.requests).toBe(2);
});

test('levels: each holds when its criteria and all below hold, and the gaps say what is missing by name', () => {
  const rec = new CoverageRecorder(spec, validators);
  const drift = new DriftRecorder(() => false);
  const list = exchange('organization_list', '/api/organizations', 200, undefined, { data: [{ id: ORG, name: 'x' }] });
  rec.record(list);
  drift.record(list, { doc: spec.doc, validators });
  const report = buildCoverage(spec, profile, [rec.snapshot()], [drift.snapshot()]);
  const org = report.operations.find((o) => o.operation === 'organization_list')!;
  // Path, operation, content type: yes; status classes: 4XX never seen, so level 3.
  expect(org.level).toBe(3);
  expect(org.criteria.paths).toEqual([1, 1]);
  expect(org.gaps).toContain('status classes: 4XX');
  expect(org.gaps.some((g) => g.startsWith('parameter values: X-Polytomic-Version='))).toBe(true);
  expect(org.gaps.some((g) => g.startsWith('response properties: 200 /data/[]/'))).toBe(true);
  // An operation never called is level 0 and makes the run's level 0; 5xx and 429 are never asked for.
  const never = report.operations.find((o) => o.operation === 'users_delete')!;
  expect(never.level).toBe(0);
  expect(report.level).toBe(0);
  expect(Object.values(report.operations).flatMap((o) => o.gaps).some((g) => /status codes: (5\d\d|429)/.test(g))).toBe(false);
  // Every operation is listed, with its level and its gaps.
  const md = coverageMarkdown(report, (id) => spec.byId.get(id));
  for (const op of spec.operations) expect(md).toContain(`| \`${op.id}\` (${op.method.toUpperCase()} ${op.path}) |`);
  expect(md).toContain('- `organization_list`: ');
});
