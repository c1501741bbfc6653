import { expectRule } from '../checks/stateful';
import type { SuiteEnv } from '../suites/examples';
import { credential } from '../target/credentials';
import { call, data, ok, status } from './steps';

/**
 * API keys: mint for a user -> the key works on current-org routes -> mint again with force=true
 * -> the old key gets 401, the new one works.
 */
export async function apiKeyRotation(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const user = await env.sb.createUser(world.org.id);
  const params = { org_id: world.org.id, id: user.id };
  const first = await call(env, 'users_createApiKey', { credential: env.target.partner, params }, { kind: 'positive' });
  if (!ok(first) || typeof data(first)?.value !== 'string') return;
  const oldKey = credential('user', data(first).value, 'USER_KEY');

  const works = await call(env, 'organization_getCurrent', { credential: oldKey }, { kind: 'positive' });
  expectRule(works, 'ensure_resource_availability', data(works)?.id === world.org.id, `a new user key answers for organization ${data(works)?.id}, not its own ${world.org.id}`);

  const second = await call(env, 'users_createApiKey', { credential: env.target.partner, params, query: { force: 'true' } }, { kind: 'positive' });
  if (!ok(second) || typeof data(second)?.value !== 'string') return;
  const newKey = credential('user', data(second).value, 'USER_KEY');
  expectRule(second, 'revoked_key_rejected', newKey.secret !== oldKey.secret, 'minting with force=true returned the old key again');

  const revoked = await call(env, 'organization_getCurrent', { credential: oldKey }, { kind: 'auth', credential: 'revoked' });
  expectRule(revoked, 'revoked_key_rejected', status(revoked) === 401, `a key revoked by force=true still answers ${status(revoked)}`, { expected: 401, actual: status(revoked) });
  await call(env, 'users_listCurrentOrgUsers', { credential: newKey }, { kind: 'positive' });
}
