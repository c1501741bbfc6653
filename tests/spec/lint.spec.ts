import SwaggerParser from '@apidevtools/swagger-parser';
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { lintSpec } from '../../src/model/spec/lint';
import type { Node } from '../../src/model/spec/pointer';

const SPECS = readdirSync('specs').filter((f) => /\.ya?ml$/.test(f)).map((f) => `specs/${f}`);

function redocly(file: string) {
  return spawnSync(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', '--config', 'redocly.yaml', '--format', 'stylish', file], { encoding: 'utf8' });
}

for (const file of SPECS) {
  test.describe(`spec ${file}`, () => {
    test('passes swagger-parser validation', async () => {
      await expect(SwaggerParser.validate(file)).resolves.toBeTruthy();
    });
    test('has no duplicate operationIds, undeclared path parameters, invalid schemas or broken $refs', () => {
      expect(lintSpec(parse(readFileSync(file, 'utf8')))).toEqual([]);
    });
    test('passes the Redocly linter', () => {
      const r = redocly(file);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });
  });
}

test.describe('the linters catch broken documents', () => {
  const base = () => parse(readFileSync('specs/polytomic-2025-09-18.yaml', 'utf8'));
  const broken: [string, (d: Node) => void, string][] = [
    ['a duplicate operationId', (d) => (d.paths['/api/organizations'].get.operationId = 'organization_create'), 'duplicate-operation-id'],
    ['an undeclared path parameter', (d) => (d.paths['/api/organizations/{id}/extra/{nope}'] = { get: { operationId: 'x', parameters: [{ $ref: '#/components/parameters/OrganizationId' }], responses: { '200': { description: 'OK' } } } }), 'undeclared-path-parameter'],
    ['type: foo in a schema', (d) => (d.components.schemas.User.properties.email.type = 'foo'), 'invalid-schema'],
    ['a broken $ref', (d) => (d.components.schemas.UserEnvelope.properties.data = { $ref: '#/components/schemas/Nope' }), 'unresolved-ref'],
  ];
  for (const [what, breakIt, rule] of broken) {
    test(`lintSpec reports ${what}`, () => {
      const d = base();
      breakIt(d);
      expect(lintSpec(d).map((p) => p.rule)).toContain(rule);
    });
  }
  test('redocly fails on a duplicate operationId and an undeclared path parameter', ({}, testInfo) => {
    const d = base();
    broken[0][1](d);
    broken[1][1](d);
    const file = testInfo.outputPath('broken.json');
    writeFileSync(file, JSON.stringify(d));
    const r = redocly(file);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/operation-operationId-unique/);
    expect(r.stdout + r.stderr).toMatch(/path-parameters-defined/);
  });
});

/**
 * What the docs pages the project started from show (contracts/invariants.yaml names them: seed
 * 000 List Users, 001 Get User, 002 List Partner Users, 003 Update User, 004 Get Organization),
 * stated here so the test needs nothing outside the repository.
 */
const SEED_FACTS = {
  /** Fields of the User examples (seeds 000-003). */
  userFields: ['email', 'id', 'organization_id', 'role', 'role_ids'],
  /** Fields of the Organization example (seed 004). */
  organizationFields: ['id', 'issuer', 'name', 'sso_domain', 'sso_org_id'],
  /** The Update User request body (seed 003): email required. */
  updateUserFields: ['email', 'role_ids', 'role'],
};

test.describe('the spec keeps what the seed pages show', () => {
  const spec = parse(readFileSync('specs/polytomic-2025-09-18.yaml', 'utf8'));

  test('every User and Organization field in the seed examples is declared', () => {
    for (const f of SEED_FACTS.userFields) expect(Object.keys(spec.components.schemas.User.properties)).toContain(f);
    for (const f of SEED_FACTS.organizationFields) expect(Object.keys(spec.components.schemas.Organization.properties)).toContain(f);
  });

  test('the Update User request fields of the seed are in the update schema, email required', () => {
    const update = spec.components.schemas.CreateUserRequestSchema;
    for (const f of SEED_FACTS.updateUserFields) expect(Object.keys(update.properties)).toContain(f);
    expect(update.required).toContain('email');
    expect(update.properties.role_ids ?? spec.components.schemas.RoleIds).toBeTruthy();
    expect(spec.components.schemas.RoleIds.minItems).toBe(1);
  });

  test('path ids the seeds mark format: "uuid" (org_id on seeds 000, 001, 003) are uuids, and role_ids is nullable as in seed 002', () => {
    for (const p of ['OrgId', 'UserId', 'OrganizationId']) expect(spec.components.parameters[p].schema.format).toBe('uuid');
    expect(spec.components.schemas.User.properties.role_ids.type).toEqual(['array', 'null']);
    expect(spec.components.schemas.ListUsersEnvelope.properties.data.type).toEqual(['array', 'null']);
  });
});
