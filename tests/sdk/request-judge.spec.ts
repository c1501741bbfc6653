import { expect, test } from '@playwright/test';
import { loadContracts } from '../../src/model/contracts';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { validatorsFor } from '../../src/model/validators';
import { validateRequest } from '../../src/run/sdk/request-validator';
import type { WireRequest } from '../../src/run/sdk/server';

/**
 * The SDK gate's request judge holds an SDK to what the sources say a request may be: the
 * official examples pass; a constraint no source states (x-assumptions) blocks only under a
 * profile that says the server enforces it; one wrong version header is one finding.
 */
const spec = loadSpec(DEFAULT_SPEC);
const validators = validatorsFor(spec);
const ORG = '0f8a3c8e-6a53-4b4f-9a59-6f0f7f5a2d10';
const ROLE = '4d1b7a7e-2b6f-4a8e-8f6e-1f2d3c4b5a69';
const POLICY = '9e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0';
const wire = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): WireRequest => ({
  method,
  path,
  query: {},
  headers: { authorization: `Basic ${Buffer.from(`${ORG}:poly_key`).toString('base64')}`, 'x-polytomic-version': '2025-09-18', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
  body: body ? JSON.stringify(body) : '',
  at: 0,
});
const blocking = (profile: string, r: WireRequest) =>
  validateRequest(spec, validators, loadContracts(undefined, profile), r)
    .findings.filter((f) => f.blocking)
    .map((f) => f.rule);

test('the official policies.create({ name: "Custom" }) passes under the polytomic profile', () => {
  expect(blocking('polytomic', wire('POST', '/api/permissions/policies', { name: 'Custom' }))).toEqual([]);
});

test('a policy read and written back whole, with every action the sources show, passes', () => {
  const actions = ['read', 'create', 'delete', 'apply_policy', 'edit', 'sync_to', 'trigger', 'export', 'query', 'modify_policy'].map((action) => ({ action, role_ids: [ROLE] }));
  for (const profile of ['polytomic', 'embedded']) expect(blocking(profile, wire('PUT', `/api/permissions/policies/${POLICY}`, { name: 'Custom', policy_actions: actions }))).toEqual([]);
});

test('a constraint no source states blocks only where the profile says the server enforces it', () => {
  const odd = wire('POST', '/api/permissions/policies', { name: 'Custom', policy_actions: [{ action: 'not_an_action', role_ids: [] }] });
  // embedded: actions are checked against the known list (policy_action_values: enforced).
  expect(blocking('embedded', odd)).toEqual(['invalid_body']);
  // polytomic: either may be so; the finding is a note.
  expect(blocking('polytomic', odd)).toEqual([]);
  expect(validateRequest(spec, validators, loadContracts(undefined, 'polytomic'), odd).findings.map((f) => f.rule)).toEqual(['assumed_constraint']);
});

test('an unsupported version header is one finding; a missing one is one, blocking where the server may default to another version', () => {
  const contracts = loadContracts(undefined, 'polytomic');
  const unsupported = validateRequest(spec, validators, contracts, wire('GET', '/api/permissions/policies', undefined, { 'x-polytomic-version': '1999-01-01' })).findings;
  expect(unsupported.map((f) => [f.rule, f.blocking])).toEqual([['version_header_unsupported', true]]);
  const missing = wire('GET', '/api/permissions/policies');
  delete missing.headers['x-polytomic-version'];
  expect(validateRequest(spec, validators, contracts, missing).findings.map((f) => [f.rule, f.blocking])).toEqual([['version_header_missing', true]]);
  // The embedded mock defaults to the spec's own version: without the header, the call is the same.
  expect(validateRequest(spec, validators, loadContracts(undefined, 'embedded'), missing).findings.map((f) => [f.rule, f.blocking])).toEqual([['version_header_missing', false]]);
});
