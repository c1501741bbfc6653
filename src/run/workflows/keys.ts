import { expectRule } from '../../checks/stateful';
import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import { type Credential, credential } from '../../target/credentials';
import type { SuiteEnv } from '../env';
import { answered, call, data, ok, status } from './steps';

/**
 * API keys: mint for a user (with the `{}` body the docs' curl sends) -> the key works, where the
 * profile's new_user_key_works says keys work at once -> mint again without force (earlier keys
 * kept or revoked, as api_key_repeat_without_force answers) -> mint with force=true -> every
 * earlier key gets 401, the new one works.
 */
export async function apiKeyRotation(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const org = await world.instance('organization');
  const user = await world.fresh('user', { within: org });
  const params = { org_id: org.id, id: user.id };
  const keyOf = (rec: Recorded): Credential | undefined => (ok(rec) && typeof data(rec)?.value === 'string' ? credential('user', data(rec).value, 'USER_KEY') : undefined);
  const use = async (key: Credential) => {
    const rec = await call(env, 'organization_getCurrent', { credential: key });
    if (ok(rec)) expectRule(rec, 'ensure_resource_availability', data(rec)?.id === org.id, `a user key answers for organization ${data(rec)?.id}, not its own ${org.id}`);
    return rec;
  };

  const first = keyOf(await call(env, 'users_createApiKey', { credential: env.target.partner, params, body: {} }, { kind: 'positive' }));
  if (!first) return;
  const firstUse = await use(first);
  // A target whose keys wait for the invitation to be accepted cannot show revocation by use.
  if (!answered(env, firstUse, 'revoked_key_rejected', 'new_user_key_works', ok(firstUse) ? 'yes' : 'no', `a key minted for a new user got ${status(firstUse)}`) || !ok(firstUse)) return;

  const second = keyOf(await call(env, 'users_createApiKey', { credential: env.target.partner, params }, { kind: 'positive' }));
  if (!second) return;
  const firstAgain = await use(first);
  answered(env, firstAgain, 'revoked_key_rejected', 'api_key_repeat_without_force', ok(firstAgain) ? 'second_key' : 'revokes_earlier', `after a second key was minted without force, the first got ${status(firstAgain)}`);

  const forced = await call(env, 'users_createApiKey', { credential: env.target.partner, params, query: { force: 'true' } }, { kind: 'positive' });
  const newKey = keyOf(forced);
  if (!newKey) return;
  expectRule(forced, 'revoked_key_rejected', newKey.secret !== first.secret && newKey.secret !== second.secret, 'minting with force=true returned an earlier key again');
  const revokedStatus = env.target.contracts.invariants.unauthenticated.status;
  for (const [old, which] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const revoked = await call(env, 'organization_getCurrent', { credential: old }, { kind: 'auth', credential: 'revoked' });
    expectRule(revoked, 'revoked_key_rejected', status(revoked) === revokedStatus, `the ${which} key, revoked by force=true, still answers ${status(revoked)}`, {
      expected: revokedStatus,
      actual: status(revoked),
      ...citeInvariant(env.target.contracts.invariants, 'unauthenticated'),
    });
  }
  await call(env, 'users_listCurrentOrgUsers', { credential: newKey }, { kind: 'positive' });
}
