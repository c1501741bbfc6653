import { expect, test } from '@playwright/test';
import { loadContracts } from '../../src/model/contracts';
import { UserError } from '../../src/model/errors';
import { DEFAULT_SPEC, loadSpec, type Spec } from '../../src/model/spec/load';
import { assertNamesKnown, namesUsed, unknownNames } from '../../src/model/spec/names';
import { resourcesOf } from '../../src/model/spec/resources';
import { validatorsFor } from '../../src/model/validators';

/**
 * What the engine reads from the spec's extensions holds together: every question, invariant and
 * resource they name exists, every path parameter names the resource it carries, every resource's
 * routes exist, and every example body the suite sends first is valid.
 */
const spec = loadSpec(DEFAULT_SPEC);
const contracts = loadContracts();

test('every question, invariant and resource the spec names exists, and every path parameter names its resource', () => {
  expect(namesUsed(spec).length).toBeGreaterThan(60);
  expect(unknownNames(spec, contracts)).toEqual([]);
});

test('a spec naming a question the contracts lack is a one-line user mistake', () => {
  const doc = structuredClone(spec.doc);
  doc.components.schemas.RoleIds.items['x-unknown-rejected-as'] = 'unknown_role_statsu';
  doc.paths['/api/organization/users/{id}'].parameters[0] = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const broken: Spec = { ...spec, doc, operations: spec.operations.map((o) => (o.path === '/api/organization/users/{id}' ? { ...o, params: o.params.map((p) => (p.in === 'path' ? { ...p, resource: undefined } : p)) } : o)) };
  const problems = unknownNames(broken, contracts);
  expect(problems.some((p) => p.includes('names the question unknown_role_statsu, which contracts/questions.yaml does not have'))).toBe(true);
  expect(problems.some((p) => p.includes('path parameter id names no resource (x-resource)'))).toBe(true);
  expect(() => assertNamesKnown(broken, contracts)).toThrow(UserError);
  expect(() => assertNamesKnown(broken, contracts)).toThrow(/^spec .* and contracts .* disagree: .* \(and \d+ more\); add it there or fix the spec$/);
});

test('every resource has a route set whose operations exist, and the 28 operations are all reached', () => {
  const resources = [...resourcesOf(spec).byKind.values()];
  expect(resources.map((r) => r.kind)).toEqual(['organization', 'user', 'role', 'policy']);
  const routed = new Set(resources.flatMap((r) => r.routes.flatMap((set) => Object.values(set).map((op) => op.id))));
  // The rest are reached through the resource their path names, or need none.
  expect(spec.operations.filter((op) => !routed.has(op.id)).map((op) => op.id).sort()).toEqual(['identity_get', 'organization_getCurrent', 'users_createApiKey']);
});

test('every request body example is valid by its schema', () => {
  const v = validatorsFor(spec);
  const bodies = spec.operations.filter((op) => op.requestBody?.example !== undefined);
  expect(bodies.length).toBe(10);
  for (const op of bodies) expect(v.check(op.requestBody!.schemaPointer, op.requestBody!.example), op.id).toEqual([]);
});
