import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import { type Credential, credential } from '../../target/credentials';
import type { Recorded } from '../../checks/types';
import { call, data, ok, status } from './steps';

/**
 * API keys: mint for a user (with the `{}` body the docs' curl sends, which is ignored) -> the
 * key works on current-org routes -> mint again without force -> both keys work -> mint with
 * force=true -> the earlier keys get 401, the new one works.
 */
export async function apiKeyRotation(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const user = await env.sb.createUser(world.org.id);
  const params = { org_id: world.org.id, id: user.id };
  const keyOf = (rec: Recorded): Credential | undefined => (ok(rec) && typeof data(rec)?.value === 'string' ? credential('user', data(rec).value, 'USER_KEY') : undefined);
  const works = async (key: Credential, what: string) => {
    const rec = await call(env, 'organization_getCurrent', { credential: key }, { kind: 'positive' });
    if (ok(rec)) expectRule(rec, 'ensure_resource_availability', data(rec)?.id === world.org.id, `${what} answers for organization ${data(rec)?.id}, not its own ${world.org.id}`);
    return rec;
  };

  const first = keyOf(await call(env, 'users_createApiKey', { credential: env.target.partner, params, body: {} }, { kind: 'positive' }));
  if (!first) return;
  await works(first, 'a new user key');

  // choices.api_key_repeat_without_force: second_key — a plain repeat leaves earlier keys valid.
  const second = keyOf(await call(env, 'users_createApiKey', { credential: env.target.partner, params }, { kind: 'positive' }));
  if (!second) return;
  const stillFirst = await works(first, 'the first key, after a second was minted without force,');
  expectRule(stillFirst, 'revoked_key_rejected', ok(stillFirst), `minting without force revoked the earlier key (it now gets ${status(stillFirst)})`, { expected: 200, actual: status(stillFirst) });

  const forced = await call(env, 'users_createApiKey', { credential: env.target.partner, params, query: { force: 'true' } }, { kind: 'positive' });
  const newKey = keyOf(forced);
  if (!newKey) return;
  expectRule(forced, 'revoked_key_rejected', newKey.secret !== first.secret && newKey.secret !== second.secret, 'minting with force=true returned an earlier key again');
  for (const [old, which] of [[first, 'first'], [second, 'second']] as const) {
    const revoked = await call(env, 'organization_getCurrent', { credential: old }, { kind: 'auth', credential: 'revoked' });
    expectRule(revoked, 'revoked_key_rejected', status(revoked) === 401, `the ${which} key, revoked by force=true, still answers ${status(revoked)}`, { expected: 401, actual: status(revoked) });
  }
  await call(env, 'users_listCurrentOrgUsers', { credential: newKey }, { kind: 'positive' });
}
