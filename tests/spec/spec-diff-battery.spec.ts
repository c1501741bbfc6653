import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Change, diffSpecs, RULES, type RuleId } from '../../src/model/spec/diff';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import type { Node } from '../../src/model/spec/pointer';

/**
 * spec:diff on single-change pairs derived from the 2025-09-18 spec: each change a client either
 * survives or does not, with the verdict expected and a one-line reason. The change must be
 * reported under its rule, with that verdict, and the pair as a whole is breaking exactly when
 * the change is.
 */
interface Case {
  name: string;
  rule: RuleId;
  breaking: boolean;
  why: string;
  change: (d: Node) => void;
  /** Applied to both documents first (a field the change needs that the spec lacks). */
  given?: (d: Node) => void;
}

const S = (d: Node) => d.components.schemas;
const op = (d: Node, path: string, method: string) => d.paths[path][method];

const CASES: Case[] = [
  // Requests: narrowing breaks the clients that send what was allowed; widening breaks none.
  { name: 'a request field made non-nullable', rule: 'request_nullable_narrowed', breaking: true, why: 'clients sending null are refused', given: (d) => (S(d).CreatePolicyRequest.properties.organization_id.type = ['string', 'null']), change: (d) => (S(d).CreatePolicyRequest.properties.organization_id.type = 'string') },
  { name: 'a request field made nullable', rule: 'request_nullable_widened', breaking: false, why: 'null is one more value accepted', change: (d) => (S(d).CreateRoleRequest.properties.name.type = ['string', 'null']) },
  { name: 'format uuid added to a request string', rule: 'request_format_narrowed', breaking: true, why: 'clients sending other strings are refused', change: (d) => (S(d).CreateOrganizationRequestSchema.properties.sso_org_id.format = 'uuid') },
  { name: 'a request format dropped', rule: 'request_format_widened', breaking: false, why: 'every email is still a string', change: (d) => delete S(d).CreateUserRequestSchema.properties.email.format },
  { name: 'a request format swapped', rule: 'request_format_changed', breaking: true, why: 'emails are not uris', change: (d) => (S(d).CreateUserRequestSchema.properties.email.format = 'uri') },
  { name: 'maxLength lowered on a request string', rule: 'request_maxLength_narrowed', breaking: true, why: 'long names clients send are refused', change: (d) => (S(d).CreateOrganizationRequestSchema.properties.name.maxLength = 100) },
  { name: 'a request length limit loosened', rule: 'request_maxLength_widened', breaking: false, why: 'every name that fitted still fits', change: (d) => (S(d).CreateOrganizationRequestSchema.properties.name.maxLength = 1000) },
  { name: 'minLength raised on a request string', rule: 'request_minLength_narrowed', breaking: true, why: 'short names are refused', change: (d) => (S(d).CreateOrganizationRequestSchema.properties.name.minLength = 3) },
  { name: 'minItems raised on a request array', rule: 'request_minItems_narrowed', breaking: true, why: 'a single role is refused', change: (d) => (S(d).RoleIds.minItems = 2) },
  { name: 'maxItems set on a request array', rule: 'request_maxItems_narrowed', breaking: true, why: 'many roles are refused', change: (d) => (S(d).RoleIds.maxItems = 3) },
  { name: 'uniqueItems set on a request array', rule: 'request_uniqueItems_narrowed', breaking: true, why: 'a repeated role id is refused', change: (d) => (S(d).RoleIds.uniqueItems = true) },
  { name: 'additionalProperties: false on a request body', rule: 'request_additionalProperties_narrowed', breaking: true, why: 'clients sending any other field are refused', change: (d) => (S(d).CreateRoleRequest.additionalProperties = false) },
  { name: 'a pattern put on a request string', rule: 'request_pattern_narrowed', breaking: true, why: 'names outside it are refused', change: (d) => (S(d).CreateRoleRequest.properties.name.pattern = '^[A-Z]') },
  { name: 'a request pattern dropped', rule: 'request_pattern_widened', breaking: false, why: 'every legacy role value still passes', change: (d) => delete S(d).LegacyRole.pattern },
  { name: 'minimum raised on a request number', rule: 'request_minimum_narrowed', breaking: true, why: 'small values are refused', given: (d) => (S(d).CreateRoleRequest.properties.rank = { type: 'integer', minimum: 0 }), change: (d) => (S(d).CreateRoleRequest.properties.rank.minimum = 5) },
  { name: 'maximum raised on a request number', rule: 'request_maximum_widened', breaking: false, why: 'more values are accepted', given: (d) => (S(d).CreateRoleRequest.properties.rank = { type: 'integer', maximum: 10 }), change: (d) => (S(d).CreateRoleRequest.properties.rank.maximum = 20) },
  { name: 'multipleOf put on a request number', rule: 'request_multipleOf_narrowed', breaking: true, why: 'odd values are refused', given: (d) => (S(d).CreateRoleRequest.properties.rank = { type: 'integer' }), change: (d) => (S(d).CreateRoleRequest.properties.rank.multipleOf = 2) },
  { name: 'a request integer made a number', rule: 'request_type_widened', breaking: false, why: 'every integer is a number', given: (d) => (S(d).CreateRoleRequest.properties.rank = { type: 'integer' }), change: (d) => (S(d).CreateRoleRequest.properties.rank.type = 'number') },
  { name: 'a request number made an integer', rule: 'request_type_narrowed', breaking: true, why: 'fractions clients send are refused', given: (d) => (S(d).CreateRoleRequest.properties.rank = { type: 'number' }), change: (d) => (S(d).CreateRoleRequest.properties.rank.type = 'integer') },
  { name: 'a request string made an integer', rule: 'request_type_changed', breaking: true, why: 'what clients send no longer validates', change: (d) => (S(d).CreateRoleRequest.properties.name.type = 'integer') },
  { name: 'a request enum value removed', rule: 'request_enum_narrowed', breaking: true, why: 'clients sending it are refused', change: (d) => S(d).PolicyActionRequest.properties.action.enum.pop() },
  { name: 'a request enum value added', rule: 'request_enum_widened', breaking: false, why: 'one more value accepted', change: (d) => S(d).PolicyActionRequest.properties.action.enum.push('share') },
  { name: 'an enum put on a request field that had none', rule: 'request_enum_narrowed', breaking: true, why: 'every other string clients send is refused', given: (d) => delete S(d).PolicyActionRequest.properties.action.enum, change: (d) => (S(d).PolicyActionRequest.properties.action.enum = ['read', 'create']) },
  { name: 'a request property made required', rule: 'request_required_narrowed', breaking: true, why: 'clients may omit it', change: (d) => S(d).CreatePolicyRequest.required.push('policy_actions') },
  { name: 'a request property no longer required', rule: 'request_required_widened', breaking: false, why: 'clients sending it still may', change: (d) => (S(d).CreateOrganizationRequestSchema.required = []) },
  { name: 'an optional request property added', rule: 'request_property_added', breaking: false, why: 'clients not sending it are unaffected', change: (d) => (S(d).CreateRoleRequest.properties.color = { type: 'string' }) },
  { name: 'a required request property added', rule: 'request_required_narrowed', breaking: true, why: 'clients do not send it', change: (d) => Object.assign(S(d).CreateRoleRequest, { properties: { ...S(d).CreateRoleRequest.properties, color: { type: 'string' } }, required: [...(S(d).CreateRoleRequest.required ?? []), 'color'] }) },
  { name: 'a request property removed from an open object', rule: 'request_property_removed', breaking: false, why: 'a server ignores a field it no longer reads', change: (d) => delete S(d).CreateOrganizationRequestSchema.properties.sso_org_id },
  { name: 'a request property removed from a closed object', rule: 'request_property_removed_closed', breaking: true, why: 'clients still sending it are refused', given: (d) => (S(d).CreateRoleRequest.additionalProperties = false), change: (d) => delete S(d).CreateRoleRequest.properties.organization_id },
  { name: 'a request body made required', rule: 'request_body_became_required', breaking: true, why: 'clients sending none are refused', change: (d) => (op(d, '/api/organizations/{org_id}/users/{id}/keys', 'post').requestBody.required = true) },
  { name: 'a request content type replaced', rule: 'request_content_type_removed', breaking: true, why: 'clients send JSON', change: (d) => { const c = op(d, '/api/permissions/roles', 'post').requestBody.content; c['application/xml'] = c['application/json']; delete c['application/json']; } },
  // Parameters.
  { name: 'a required query parameter added', rule: 'parameter_added_required', breaking: true, why: 'clients do not send it', change: (d) => op(d, '/api/organizations', 'get').parameters.push({ name: 'page', in: 'query', required: true, schema: { type: 'integer' } }) },
  { name: 'an optional header added', rule: 'parameter_added_optional', breaking: false, why: 'clients not sending it are unaffected', change: (d) => op(d, '/api/organizations', 'get').parameters.push({ name: 'X-Trace', in: 'header', schema: { type: 'string' } }) },
  { name: 'a query parameter made required', rule: 'parameter_became_required', breaking: true, why: 'clients may omit it', change: (d) => (op(d, '/api/organizations/{org_id}/users/{id}/keys', 'post').parameters.find((p: Node) => p.name === 'force').required = true) },
  { name: 'a query parameter removed', rule: 'parameter_removed', breaking: false, why: 'a server ignores what it no longer reads', change: (d) => { const o = op(d, '/api/organizations/{org_id}/users/{id}/keys', 'post'); o.parameters = o.parameters.filter((p: Node) => p.name !== 'force'); } },
  { name: 'a query parameter moved to a header', rule: 'parameter_location_changed', breaking: true, why: 'clients send it where it is no longer read', change: (d) => (op(d, '/api/organizations/{org_id}/users/{id}/keys', 'post').parameters.find((p: Node) => p.name === 'force').in = 'header') },
  { name: 'a path parameter renamed, the URLs the same', rule: 'path_parameter_renamed', breaking: false, why: 'every URL a client sends is the same', change: (d) => { d.paths['/api/permissions/roles/{role_id}'] = d.paths['/api/permissions/roles/{id}']; delete d.paths['/api/permissions/roles/{id}']; d.components.parameters.RoleId.name = 'role_id'; } },
  // Responses: widening breaks the clients that read them; narrowing breaks none.
  { name: "a response's content type changed from JSON to XML", rule: 'response_content_type_removed', breaking: true, why: 'clients parse JSON', change: (d) => { const c = d.components.responses.Role.content; c['application/xml'] = c['application/json']; delete c['application/json']; } },
  { name: 'a response field changed from integer to number', rule: 'response_type_widened', breaking: true, why: 'clients reading an integer get fractions', change: (d) => (S(d).ApiError.properties.status.type = 'number') },
  { name: 'a response field removed from required', rule: 'response_required_widened', breaking: true, why: 'clients counting on it may find it missing', change: (d) => (S(d).PolicyAction.required = []) },
  { name: 'a response field made required', rule: 'response_required_narrowed', breaking: false, why: 'clients reading it find it always', change: (d) => (S(d).User.required = ['id']) },
  { name: 'a response field made non-nullable', rule: 'response_nullable_narrowed', breaking: false, why: 'clients handling null are unaffected', change: (d) => (S(d).ListPoliciesResponseEnvelope.properties.data.type = 'array') },
  { name: 'a response field made nullable', rule: 'response_nullable_widened', breaking: true, why: 'non-null-safe clients crash on null', change: (d) => (S(d).RoleResponse.properties.name.type = ['string', 'null']) },
  { name: 'a response property removed', rule: 'response_property_removed', breaking: true, why: 'clients reading it get undefined', change: (d) => delete S(d).RoleResponse.properties.system },
  { name: 'a response property added', rule: 'response_property_added', breaking: false, why: 'additive for generated clients', change: (d) => (S(d).RoleResponse.properties.color = { type: 'string' }) },
  { name: 'a response enum value added', rule: 'response_enum_widened', breaking: true, why: 'exhaustive switches in clients miss it', given: (d) => (S(d).User.properties.role.enum = ['admin', 'user']), change: (d) => S(d).User.properties.role.enum.push('owner') },
  { name: 'a response enum value removed', rule: 'response_enum_narrowed', breaking: false, why: 'clients handle a subset of what they handled', given: (d) => (S(d).User.properties.role.enum = ['admin', 'user']), change: (d) => (S(d).User.properties.role.enum = ['admin']) },
  { name: 'a response maxLength lowered', rule: 'response_maxLength_narrowed', breaking: false, why: 'shorter strings fit any client', given: (d) => (S(d).RoleResponse.properties.name.maxLength = 255), change: (d) => (S(d).RoleResponse.properties.name.maxLength = 100) },
  { name: 'a response format dropped', rule: 'response_format_widened', breaking: true, why: 'clients parsing uuids may get other strings', change: (d) => delete S(d).RoleResponse.properties.id.format },
  { name: 'a response status removed', rule: 'response_status_removed', breaking: true, why: 'clients handling it lose it', change: (d) => delete op(d, '/api/permissions/roles', 'get').responses['403'] },
  { name: 'a response status added', rule: 'response_status_added', breaking: false, why: 'documents what clients may already receive', change: (d) => (op(d, '/api/permissions/roles', 'get').responses['409'] = { $ref: '#/components/responses/Conflict' }) },
  { name: 'a response header removed', rule: 'response_header_removed', breaking: true, why: 'clients reading it get nothing', change: (d) => delete d.components.responses.Role.headers },
  { name: 'a response header added', rule: 'response_header_added', breaking: false, why: 'additive', change: (d) => (d.components.responses.Role.headers = { ...d.components.responses.Role.headers, 'X-Request-Id': { schema: { type: 'string' } } }) },
  // Operations, security, and what changes no message.
  { name: 'an operation removed', rule: 'operation_removed', breaking: true, why: 'clients calling it get 404', change: (d) => delete d.paths['/api/me'] },
  { name: 'an operation added', rule: 'operation_added', breaking: false, why: 'additive', change: (d) => (d.paths['/api/ping'] = { get: { operationId: 'ping', responses: { '200': { description: 'OK' } } } }) },
  { name: 'update moved from PUT to PATCH', rule: 'method_changed', breaking: true, why: 'clients send PUT and get 405', change: (d) => { const p = d.paths['/api/permissions/roles/{id}']; p.patch = p.put; delete p.put; } },
  { name: 'a way to authenticate removed', rule: 'security_scheme_removed', breaking: true, why: 'clients holding that key are refused', change: (d) => (op(d, '/api/me', 'get').security = op(d, '/api/me', 'get').security.filter((s: Node) => !('bearerUserKey' in s))) },
  { name: 'a way to authenticate added', rule: 'security_scheme_added', breaking: false, why: 'the keys clients hold still work', change: (d) => { d.components.securitySchemes.apiKeyHeader = { type: 'apiKey', in: 'header', name: 'X-Api-Key' }; op(d, '/api/me', 'get').security.push({ apiKeyHeader: [] }); } },
  { name: 'a description changed', rule: 'annotation_changed', breaking: false, why: 'no message changes', change: (d) => (S(d).User.properties.email.description = 'The email.') },
  { name: 'a $ref inlined', rule: 'schema_ref_changed', breaking: false, why: 'the schema is the same', change: (d) => (S(d).CreateUserRequestSchema.properties.role_ids = JSON.parse(JSON.stringify(S(d).RoleIds))) },
];

const base: Node = JSON.parse(JSON.stringify(parse(readFileSync(DEFAULT_SPEC, 'utf8'))));
let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'spec-diff-battery-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function diffOf(c: Pick<Case, 'change' | 'given'>): Change[] {
  const docs = [structuredClone(base), structuredClone(base)];
  for (const d of docs) c.given?.(d);
  c.change(docs[1]);
  const [a, b] = docs.map((d) => {
    const f = join(scratch, `${++n}.json`);
    writeFileSync(f, JSON.stringify(d));
    return loadSpec(f);
  });
  return diffSpecs(a, b);
}

test('the battery is at least 40 single changes, breaking and not, with every verdict its rule gives', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  expect(CASES.filter((c) => c.breaking).length).toBeGreaterThan(15);
  expect(CASES.filter((c) => !c.breaking).length).toBeGreaterThan(15);
  for (const c of CASES) expect(RULES[c.rule].breaking, c.name).toBe(c.breaking);
});

for (const c of CASES) {
  test(`${c.name}: ${c.breaking ? 'breaking' : 'not breaking'} (${c.why})`, () => {
    const changes = diffOf(c);
    expect(changes.map((x) => x.rule)).toContain(c.rule);
    expect(changes.some((x) => x.breaking), changes.map((x) => `${x.rule}: ${x.message}`).join('\n')).toBe(c.breaking);
  });
}

test('a change to a shared component names every operation it reaches', () => {
  const changes = diffOf({ change: (d) => delete S(d).ApiError.properties.key });
  const removed = changes.filter((c) => c.rule === 'response_property_removed');
  expect(removed).toHaveLength(1);
  expect(removed[0].pointer).toBe('/components/schemas/ApiError/properties/key');
  expect(removed[0].operations.length).toBe(28);
});

test('identical documents have no change', () => {
  expect(diffOf({ change: () => undefined })).toEqual([]);
});
