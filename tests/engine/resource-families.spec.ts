import { expect, test } from '@playwright/test';
import { MockError } from '../../mock/types';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { wholeSuite } from '../../src/run/selfcheck/suite';
import { addFamily, type Family } from '../support/family';

/**
 * Resource families added by the spec and the contracts alone, each served by a mock that enforces
 * its rule: the whole suite passes each with no finding, and a deleted instance still readable is
 * caught.
 */
test.describe.configure({ mode: 'parallel' });

const uuid = { type: 'string', format: 'uuid' };
const FAMILIES: { family: Family; rule: (body: Record<string, unknown>, inContainer: number) => MockError | undefined }[] = [
  {
    // Polytomic documents "only one webhook may be created per organization".
    family: {
      kind: 'notifier',
      collection: '/api/organizations/{org_id}/notifiers',
      entity: { type: 'object', properties: { id: uuid, organization_id: uuid, name: { type: 'string' } } },
      request: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      resource: { marker: 'name', within: { kind: 'organization', field: 'organization_id' }, 'per-container': { most: 1, beyond: 'notifier_limit_status' } },
      questions: { notifier_limit_status: { asks: 'The status of a notifier create in an organization that has one.', answers: [409, 422], open: 'Documented as one per organization; the status is not stated.' } },
      answers: { notifier_limit_status: { accept: [409], guess: 'the usual status of a conflict' } },
    },
    rule: (_body, n) => (n >= 1 ? new MockError(409, 'conflict', 'only one notifier per organization') : undefined),
  },
  {
    // Named by a URL, as a webhook's endpoint is: a server that wants an http(s) URL refuses anything else.
    family: {
      kind: 'hook',
      collection: '/api/organizations/{org_id}/hooks',
      entity: { type: 'object', properties: { id: uuid, organization_id: uuid, endpoint: { type: 'string', format: 'uri' }, secret: { type: 'string', writeOnly: true } } },
      request: { type: 'object', required: ['endpoint'], properties: { endpoint: { type: 'string', format: 'uri', maxLength: 2000 }, secret: { type: 'string', writeOnly: true } } },
      resource: { marker: 'endpoint', within: { kind: 'organization', field: 'organization_id' } },
    },
    rule: (body) => (/^https?:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i.test(String(body.endpoint)) ? undefined : new MockError(422, 'invalid', 'endpoint must be an http(s) URL')),
  },
  {
    // Made with the partner's key in the organization its body names, as a create that chooses its container by a field.
    family: {
      kind: 'feed',
      collection: '/api/feeds',
      entity: { type: 'object', properties: { id: uuid, organization_id: uuid, name: { type: 'string' } } },
      request: { type: 'object', required: ['name', 'organization_id'], properties: { name: { type: 'string', minLength: 1 }, organization_id: { ...uuid, 'x-resource': 'organization' } } },
      resource: { marker: 'name', within: { kind: 'organization', field: 'organization_id' } },
    },
    rule: () => undefined,
  },
];

/**
 * A limit per container broken: by a server that takes a second notifier where the spec says one
 * (x-resources per-container), and a second feed where an invariant added to the contracts alone
 * says one (kind at_most_per_container). The clean runs above pass with both rules in place.
 */
const feed = FAMILIES[2].family;
const LIMITS: { title: string; family: Family }[] = [
  { title: 'a second notifier in an organization, beyond the spec\'s limit, is caught', family: FAMILIES[0].family },
  {
    title: 'a second feed in an organization, beyond an invariant the contracts add, is caught',
    family: { ...feed, invariants: { one_feed_per_org: { kind: 'at_most_per_container', rule: 'An organization has at most one feed.', guess: 'a test of the rule kind', resource: 'feed', most: 1 } } },
  },
];
for (const { title, family } of LIMITS) {
  test(title, async ({}, testInfo) => {
    const { spec, contracts } = addFamily(testInfo.outputPath('family'), family);
    const run = (checks?: Record<string, { enabled: boolean }>) =>
      runAgainstMock({ mock: { specPath: spec, resourceRules: { [family.kind]: {} } }, env: { CONFORMANCE_SPEC: spec, CONFORMANCE_CONTRACTS_DIR: contracts }, checks }, (env) => wholeSuite(env));
    const r = await run();
    expect(r.findings.filter((f) => f.check === 'container_limit').map((f) => f.message).join('\n')).toMatch(new RegExp(`${family.kind}s? in organization`));
    // Switched off, it is silent on the same run.
    expect((await run({ container_limit: { enabled: false } })).findings.filter((f) => f.check === 'container_limit')).toEqual([]);
  });
}

for (const { family, rule } of FAMILIES) {
  for (const bug of [false, true]) {
    test(`${family.kind}: ${bug ? 'a deleted one still readable is caught' : 'the whole suite passes it with no finding'}`, async ({}, testInfo) => {
      const { spec, contracts } = addFamily(testInfo.outputPath('family'), family);
      const r = await runAgainstMock(
        { mock: { specPath: spec, resourceRules: { [family.kind]: { beforeCreate: rule, deletedStillReadable: bug } } }, env: { CONFORMANCE_SPEC: spec, CONFORMANCE_CONTRACTS_DIR: contracts } },
        (env) => wholeSuite(env),
      );
      expect(r.stepErrors).toEqual([]);
      const mine = r.findings.filter((f) => JSON.stringify(f).includes(family.kind));
      if (!bug) {
        expect(r.findings.map((f) => `${f.check}: ${f.message}`)).toEqual([]);
        // The suite sent the family's every operation.
        const sent = new Set(r.recorded.map((x) => x.exchange.operation?.id));
        for (const op of ['create', 'get', 'list', 'update', 'delete']) expect(sent.has(`${family.kind}s_${op}`), op).toBe(true);
        // What the run made of it, it deleted.
        expect(r.snapshots.after).toEqual(r.snapshots.before);
      } else expect(mine.map((f) => f.check)).toContain('use_after_free');
    });
  }
}
