import { test } from '../../src/run/fixtures';
import { idempotentReplay } from '../../src/run/workflows/idempotency';
import { apiKeyRotation } from '../../src/run/workflows/keys';
import { organizationLifecycle, userLifecycle } from '../../src/run/workflows/lifecycle';
import { versionNegotiation } from '../../src/run/workflows/versions';

/** Deterministic workflows over state (src/run/workflows/): each rule is a named stateful check. */
test.describe('Workflows', () => {
  test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: workflows create and delete resources');

  test('organization lifecycle: create, read, list, update, duplicate, delete', async ({ env }) => {
    await organizationLifecycle(env);
  });
  test('user lifecycle on the partner path', async ({ env }) => {
    await userLifecycle(env, 'partner');
  });
  test('user lifecycle on the current-org path', async ({ env }) => {
    await userLifecycle(env, 'current');
  });
  test('API key rotation: force=true revokes the old key', async ({ env }) => {
    await apiKeyRotation(env);
  });
  test('Idempotency-Key replays the first outcome', async ({ env }) => {
    await idempotentReplay(env);
  });
});

test.describe('API versions', () => {
  test('no header means the default version; every supported version is served and named', async ({ env }) => {
    await versionNegotiation(env);
  });
});
