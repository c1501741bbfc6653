import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSpecs, RULES, type RuleId } from '../../src/model/spec/diff';
import { loadSpec } from '../../src/model/spec/load';
import type { Node } from '../../src/model/spec/pointer';

/** Each classifier rule on a minimal pair of documents, the CLI's exit codes, and the real 2024 -> 2025 diff. */
const base = () => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } },
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] }, tags: { type: 'array', items: { type: 'string' } } } },
      Input: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, mode: { type: 'string', enum: ['x', 'y'] }, note: { type: 'string' } } },
    },
  },
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getThing', parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, '404': { description: 'nf' } } },
      patch: { operationId: 'updateThing', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Input' } } } }, responses: { '200': { description: 'OK' } } },
    },
    '/other': { get: { operationId: 'other', responses: { '200': { description: 'OK' } } } },
  },
});

// Scratch documents live outside reports/, which users read. A worker may run the hooks more
// than once for this file (tests are spread across workers in groups): each group gets its own.
let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'spec-diff-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function diff(mutate: (d: Node) => void): { rule: RuleId; breaking: boolean }[] {
  const a = base();
  const b = base();
  mutate(b);
  const files = [a, b].map((d) => {
    const f = join(scratch, `${++n}.json`);
    writeFileSync(f, JSON.stringify(d));
    return f;
  });
  return diffSpecs(loadSpec(files[0]), loadSpec(files[1])).map(({ rule, breaking }) => ({ rule, breaking }));
}

const CASES: [RuleId, (d: Node) => void][] = [
  ['operation_removed', (d) => delete d.paths['/other']],
  ['operation_added', (d) => (d.paths['/new'] = { get: { operationId: 'n', responses: { '200': { description: 'OK' } } } })],
  [
    'method_changed',
    (d) => {
      d.paths['/things/{id}'].put = d.paths['/things/{id}'].patch;
      delete d.paths['/things/{id}'].patch;
    },
  ],
  ['security_changed', (d) => (d.security = [{ basic: [] }])],
  ['required_parameter_added', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'r', in: 'query', required: true, schema: { type: 'string' } })],
  ['optional_parameter_added', (d) => d.paths['/things/{id}'].get.parameters.push({ name: 'o', in: 'header', schema: { type: 'string' } })],
  ['parameter_became_required', (d) => (d.paths['/things/{id}'].get.parameters[0].required = true)],
  ['parameter_removed', (d) => (d.paths['/things/{id}'].get.parameters = [])],
  ['request_enum_value_removed', (d) => (d.components.schemas.Input.properties.mode.enum = ['x'])],
  ['request_enum_value_added', (d) => (d.components.schemas.Input.properties.mode.enum = ['x', 'y', 'z'])],
  ['request_property_required', (d) => d.components.schemas.Input.required.push('note')],
  ['request_property_added', (d) => (d.components.schemas.Input.properties.extra = { type: 'string' })],
  ['request_property_removed', (d) => delete d.components.schemas.Input.properties.note],
  ['request_type_changed', (d) => (d.components.schemas.Input.properties.name.type = 'integer')],
  ['response_status_removed', (d) => delete d.paths['/things/{id}'].get.responses['404']],
  ['response_status_added', (d) => (d.paths['/things/{id}'].get.responses['409'] = { description: 'c' })],
  ['response_property_removed', (d) => delete d.components.schemas.Thing.properties.id],
  ['response_property_added', (d) => (d.components.schemas.Thing.properties.more = { type: 'string' })],
  ['response_type_changed', (d) => (d.components.schemas.Thing.properties.id.type = 'integer')],
  ['response_became_nullable', (d) => (d.components.schemas.Thing.properties.tags.type = ['array', 'null'])],
  ['response_enum_value_added', (d) => (d.components.schemas.Thing.properties.kind.enum = ['a', 'b', 'c'])],
  ['response_enum_value_removed', (d) => (d.components.schemas.Thing.properties.kind.enum = ['a'])],
];

test('identical documents have no changes', () => {
  expect(diff(() => undefined)).toEqual([]);
});

for (const [rule, mutate] of CASES) {
  test(`rule ${rule} (${RULES[rule].breaking ? 'breaking' : 'not breaking'})`, () => {
    expect(diff(mutate)).toContainEqual({ rule, breaking: RULES[rule].breaking });
  });
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/spec-diff.ts', ...args], { encoding: 'utf8' });
}

test('the CLI exits 1 on breaking changes, 0 without, 2 on a usage mistake, and writes markdown and JSON', ({}, testInfo) => {
  const out = testInfo.outputPath('diff');
  const real = cli('specs/polytomic-2024-02-08.yaml', 'specs/polytomic-2025-09-18.yaml', '--out', out);
  expect(real.status).toBe(1);
  expect(existsSync(`${out}/spec-diff.md`) && existsSync(`${out}/spec-diff.json`)).toBe(true);
  expect(cli('specs/polytomic-2025-09-18.yaml', 'specs/polytomic-2025-09-18.yaml', '--out', out).status).toBe(0);
  const bad = cli('specs/nope.yaml');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/two spec files are needed/);
});

test('2024-02-08 -> 2025-09-18 lists the breaking changes the version history describes', () => {
  const changes = diffSpecs(loadSpec('specs/polytomic-2024-02-08.yaml'), loadSpec('specs/polytomic-2025-09-18.yaml'));
  const has = (rule: RuleId, op: RegExp, msg: RegExp = /./) => changes.some((c) => c.rule === rule && op.test(c.operation) && msg.test(c.message));
  expect(has('method_changed', /users_update/, /PATCH .* became PUT/)).toBe(true);
  expect(has('method_changed', /organization_update/)).toBe(true);
  expect(has('response_property_removed', /users_get/, /property error was removed/)).toBe(true); // 401 RestErrResponse -> ApiError
  expect(has('security_changed', /users_list/)).toBe(true);
  expect(has('operation_added', /organization_getCurrent/)).toBe(true);
  // Roles and policies: the credentials changed (Bearer API key or Basic deployment key -> user key or organization-scoped key), the Idempotency-Key arrived.
  expect(has('security_changed', /roles_create/)).toBe(true);
  expect(has('optional_parameter_added', /policies_update/, /Idempotency-Key/)).toBe(true);
  expect(changes.some((c) => c.rule === 'method_changed' && /roles|policies/.test(c.operation))).toBe(false);
  expect(has('response_property_added', /users_get/, /role_ids/)).toBe(true);
  expect(changes.find((c) => c.rule === 'operation_added')?.breaking).toBe(false);
});
