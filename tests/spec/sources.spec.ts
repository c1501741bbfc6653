import { expect, test } from '@playwright/test';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { validatorsFor } from '../../src/model/validators';

/**
 * The spec says what Polytomic's own SDK fixtures show (see the comments at each schema): the
 * bodies they hold validate, and the error shapes can be told apart.
 */
const spec = loadSpec(DEFAULT_SPEC);
const validators = validatorsFor(spec);
const valid = (schema: string, body: unknown) => validators.check(`#/components/schemas/${schema}`, body).length === 0;

test('a 401 body of each shape the sources show is that shape, and no other', () => {
  const bodies = {
    ApiError: { status: 401, message: 'unauthorized' },
    RestErrResponse: { code: 401, error: 'unauthorized', status: 'Unauthorized' },
    LegacyErrorResponse: { error: { message: 'invalid or unknown API key' } },
  };
  for (const [shape, body] of Object.entries(bodies)) {
    expect(Object.keys(bodies).filter((s) => valid(s, body)), shape).toEqual([shape]);
  }
  // Not every JSON object is an error body any more.
  expect(valid('ApiError', {})).toBe(false);
});

test("the Go SDK's policy fixtures validate, every action included, and a policy needs no actions", () => {
  const policy = {
    id: '248df4b7-aa70-47b8-a036-33ac447e668d',
    name: 'Custom',
    organization_id: '248df4b7-aa70-47b8-a036-33ac447e668d',
    policy_actions: ['read', 'create', 'delete', 'apply_policy', 'edit', 'sync_to', 'trigger', 'export', 'query', 'modify_policy'].map((action) => ({ action, role_ids: ['248df4b7-aa70-47b8-a036-33ac447e668d'] })),
    system: false,
  };
  expect(valid('PolicyResponse', policy)).toBe(true);
  expect(valid('CreatePolicyRequest', { name: policy.name, policy_actions: policy.policy_actions })).toBe(true);
  expect(valid('CreatePolicyRequest', { name: 'Custom' })).toBe(true);
});
