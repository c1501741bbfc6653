import { test } from '../../src/run/fixtures';
import { crossOrgUserAccess, crossPartnerAccess, currentOrgScope, massAssignment, orgListIsolation, ownerOrganization } from '../../src/run/workflows/isolation';

/** Tenant isolation and scope (src/run/workflows/isolation.ts): each rule is a named check. */
test.describe('Tenant isolation', () => {
  test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: isolation checks create resources to probe with');

  test.describe('across partners', () => {
    test.skip(({ target }) => !target.foreignPartner, 'POLYTOMIC_FOREIGN_PARTNER_KEY is not set: no second partner to probe with');
    test("another partner cannot read or change this partner's organizations and users", async ({ env }) => {
      await crossPartnerAccess(env);
    });
    test("organization lists never hold another partner's organizations", async ({ env }) => {
      await orgListIsolation(env);
    });
  });

  test('a user of another organization is not reachable under this one', async ({ env }) => {
    await crossOrgUserAccess(env);
  });
  test("a user key sees only its own organization", async ({ env }) => {
    await currentOrgScope(env);
  });
  test('organization_id in a create body never moves the user', async ({ env }) => {
    await massAssignment(env);
  });
  test('the owner organization is listed first and cannot be deleted', async ({ env, target }) => {
    test.skip(!target.config.ownerOrgId, 'POLYTOMIC_OWNER_ORG_ID is not set: the owner organization is unknown');
    await ownerOrganization(env, target.config.ownerOrgId!, target.config.ownerDeleteProbe);
  });
});
