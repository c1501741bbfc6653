import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch, deepClone, validate } from 'fast-json-patch';
import { parse } from 'yaml';
import { type DriftItem, observeDrift } from '../../src/checks/drift/observe';
import { documentedResponse } from '../../src/checks/response-util';
import type { Exchange } from '../../src/checks/types';
import { DEFAULT_SPEC, loadSpec, type Spec } from '../../src/model/spec/load';
import { combinePatches, operationsAt } from '../../src/model/spec/patch';
import { validatorsFor } from '../../src/model/validators';
import type { Node } from '../../src/model/spec/pointer';

/**
 * Drift patches that apply: every kind of drift a server shows, documented by an RFC 6902 patch
 * with RFC 6901 paths against the spec as written, which a maintained JSON Patch library applies;
 * the patched spec judges the same answers again with no drift left and nothing new.
 */
const ORG = '0f8a3c8e-6a53-4b4f-9a55-6f0f7f5a2d10';
const USER = '4d1b7a7e-2b6f-4a8e-8f6e-1f2d3c4b5a69';
const INFRASTRUCTURE = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
const infra = (h: string) => INFRASTRUCTURE.has(h);

/** The answers of a server drifting every way there is. */
function answers(spec: Spec): Exchange[] {
  const ex = (opId: string, status: number, json: unknown, headers: Record<string, string> = {}): Exchange => ({
    operation: spec.byId.get(opId)!,
    request: { method: 'GET', path: '/', headers: {} },
    response: { status, headers: { 'content-type': 'application/json', 'x-polytomic-version': '2025-09-18', ...headers }, text: JSON.stringify(json), json, elapsedMs: 1 },
    intent: { kind: 'positive' },
  });
  const user = { id: USER, email: 'a@example.com', organization_id: ORG, role_ids: null };
  return [
    // A field no schema declares (on a shared component), an enum value outside the set, a header on a $ref'd response.
    ex('users_get', 200, { data: { ...user, role: 'owner', nickname: 'ann' } }, { 'x-request-id': 'r-1' }),
    // The same field in a list's items, and one whose value is an object of a known component.
    ex('users_list', 200, { data: [{ ...user, role: 'user', nickname: 'bob', manager: { ...user, role: 'admin' } }] }),
    // A null where the schema has none, and a field holding a new kind of object.
    ex('organization_get', 200, { data: { id: ORG, name: null, settings: { theme: 'dark', seats: 3 } } }),
    // A status the spec lacks, whose body and headers are a documented response's...
    ex('organization_update', 202, { data: { id: ORG, name: 'Acme' } }),
    // ...and one whose body is nothing documented.
    ex('users_delete', 418, { teapot: true, since: '2026-01-01T00:00:00Z' }),
  ];
}

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'drift-patches-'));
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specOf(doc: Node, name: string): Spec {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return loadSpec(file);
}

const observeAll = (spec: Spec): DriftItem[] => {
  const validators = validatorsFor(spec);
  return answers(spec).flatMap((ex) => observeDrift(ex, { doc: spec.doc, validators }, infra));
};

test('every kind of drift, patched with a JSON Patch library, leaves no drift and nothing new', () => {
  // The 2025 spec, with the legacy role's values listed (so that a value outside them is drift).
  const doc: Node = JSON.parse(JSON.stringify(parse(readFileSync(DEFAULT_SPEC, 'utf8'))));
  doc.components.schemas.User.properties.role.enum = ['admin', 'user'];
  const before = specOf(doc, 'before');
  const items = observeAll(before);
  expect([...new Set(items.map((i) => i.kind))].sort()).toEqual(['enum_value_outside', 'null_in_non_nullable', 'undeclared_field', 'undeclared_header', 'undocumented_status']);

  // Each patch on its own is a valid RFC 6902 document for the spec as written (RFC 6901 paths).
  for (const i of items) expect(validate(i.patch, deepClone(doc)), `${i.key}: ${JSON.stringify(i.patch)}`).toBeUndefined();
  // A header goes where the $ref'd response is written, beside the version header it keeps.
  const header = items.find((i) => i.kind === 'undeclared_header')!;
  expect(header.patch).toEqual([{ op: 'add', path: '/components/responses/User/headers/x-request-id', value: { schema: { type: 'string' } } }]);
  // The documented status whose answer is an organization is the Organization response; the other is inferred.
  const statuses = items.filter((i) => i.kind === 'undocumented_status');
  expect(statuses.map((i) => i.patch[0].value)).toEqual([
    { $ref: '#/components/responses/Organization' },
    expect.objectContaining({ content: { 'application/json': { schema: { type: 'object', properties: { teapot: { type: 'boolean' }, since: { type: 'string', format: 'date-time' } } } } } }),
  ]);
  // A field holding a User is a User.
  expect(items.find((i) => i.pointer === '/data/[]/manager')?.patch[0].value).toEqual({ $ref: '#/components/schemas/User' });
  // A field of a shared schema documents it for every operation answering with it.
  const nickname = items.find((i) => i.pointer.endsWith('/nickname'))!;
  expect(operationsAt(before, nickname.patch[0].path)).toEqual(expect.arrayContaining(['users_get', 'users_list', 'users_create', 'users_getCurrentOrgUser']));

  const patched = applyPatch(deepClone(doc), combinePatches(items.map((i) => i.patch)), true).newDocument;
  const after = specOf(patched, 'after');
  expect(observeAll(after).map((i) => i.key)).toEqual([]);
  // Nothing the patched spec says is broken by the same answers either.
  const validators = validatorsFor(after);
  for (const ex of answers(after)) {
    const res = documentedResponse(ex)!;
    expect(res, `${ex.operation!.id} ${ex.response.status}`).toBeDefined();
    expect(validators.check(res.schemaPointer!, ex.response.json), `${ex.operation!.id} ${ex.response.status}`).toEqual([]);
    expect(res.headers.map((h) => h.name.toLowerCase())).toContain('x-polytomic-version');
  }
});
