import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import { type Credential, credential } from '../../target/credentials';
import type { SuiteEnv } from '../env';
import { ancestor, mintedScheme, pathParams, scopeKind } from '../generation/plan';
import { SetupError } from '../../target/sandbox';
import { valueAt } from '../../model/spec/pointer';
import { resourceOf } from '../../model/spec/resources';
import { answered, call, holds, ok, status, step } from './steps';

/**
 * API keys, as a scenario: mint for a user (with the `{}` body the docs' curl sends) -> use it ->
 * mint again without force -> use the first -> mint with force=true -> use both earlier keys and
 * the new one -> delete the user -> use its last key. The run's checks judge every answer to a revoked key (revoked_key_rejected) and
 * that a user key answers for its own organization (answers_in_scope); at this moment, what the
 * run alone knows: whether a new user's key works (new_user_key_works), what the mint without
 * force did (api_key_repeat_without_force), that force=true gave a new key, and the status a
 * revoked key gets when it is refused.
 */
export async function apiKeyRotation(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { spec } = env.target;
  // What the spec says of minted keys: the operation that mints one, for which instance, where its value is, and what revokes it.
  const scheme = mintedScheme(spec);
  const mint = scheme?.mintedBy ? spec.byId.get(scheme.mintedBy) : undefined;
  const holderKind = mint ? pathParams(mint).at(-1)?.resource : undefined;
  // A key is used on a read that takes it and names no instance: what it answers is the key's own.
  const useOp = spec.operations.find((o) => o.method === 'get' && !pathParams(o).length && scheme && o.credentials.includes(scheme.kind));
  if (!scheme || !mint || !holderKind || !useOp) throw new SetupError('the spec says of no operation that it mints keys for an instance (x-credential minted-by and value), or of none that reads with one');
  const user = await world.fresh(holderKind);
  const org = ancestor(user, scopeKind(spec) ?? '');
  const params = (await world.plan(mint.id, { target: user })).params;
  const keyOf = (rec: Recorded): Credential | undefined => {
    const value = ok(rec) ? valueAt(rec.exchange.response.json, scheme.valuePointer!) : undefined;
    return typeof value === 'string' ? credential(scheme.kind, value, 'USER_KEY', { ...(org ? { scope: org.id } : {}), holder: user.id, root: env.target.own.root }) : undefined;
  };
  const use = (key: Credential) => call(env, useOp.id, { credential: key });
  const revokingParam = scheme.revoked?.byParam;

  const first = keyOf(await call(env, mint.id, { credential: env.target.own, params, body: {} }, { kind: 'positive' }));
  if (!first) return;
  const firstUse = await use(first);
  // A target whose keys wait for the invitation to be accepted cannot show revocation by use.
  if (!answered(env, firstUse, 'revoked_key_rejected', 'new_user_key_works', ok(firstUse) ? 'yes' : 'no', `a key minted for a new user got ${status(firstUse)}`) || !ok(firstUse)) return;

  const second = keyOf(await call(env, mint.id, { credential: env.target.own, params }, { kind: 'positive' }));
  if (!second) return;
  const firstAgain = await use(first);
  answered(env, firstAgain, 'revoked_key_rejected', 'api_key_repeat_without_force', ok(firstAgain) ? 'second_key' : 'revokes_earlier', `after a second key was minted without force, the first got ${status(firstAgain)}`);

  if (!revokingParam) return;
  const forced = await call(env, mint.id, { credential: env.target.own, params, query: { [revokingParam]: 'true' } }, { kind: 'positive' });
  const newKey = keyOf(forced);
  if (!newKey) return;
  holds(env, forced, 'revoked_key_rejected', newKey.secret !== first.secret && newKey.secret !== second.secret, 'minting with force=true returned an earlier key again');
  const revokedStatus = env.target.contracts.invariants.unauthenticated.status;
  for (const [old, which] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const revoked = await use(old);
    // Accepted, it is judged on every answer; refused, with the status the invariant gives.
    holds(env, revoked, 'revoked_key_rejected', ok(revoked) || status(revoked) === revokedStatus, `the ${which} key, revoked by force=true, answers ${status(revoked)}`, {
      expected: revokedStatus,
      actual: status(revoked),
      ...citeInvariant(env.target.contracts.invariants, 'unauthenticated'),
    });
  }
  await use(newKey);
  // Its holder deleted, the last key works no more.
  if (!ok(await step(env, await world.plan(resourceOf(spec, holderKind).routes[0].delete.id, { target: user }), {}, { kind: 'positive' }))) return;
  const orphaned = await use(newKey);
  holds(env, orphaned, 'revoked_key_rejected', ok(orphaned) || status(orphaned) === revokedStatus, `the key of deleted user ${user.id} answers ${status(orphaned)}`, {
    expected: revokedStatus,
    actual: status(orphaned),
    ...citeInvariant(env.target.contracts.invariants, 'holder_delete_revokes_keys'),
  });
}
