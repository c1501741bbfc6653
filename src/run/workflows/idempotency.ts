import { randomBytes } from 'node:crypto';
import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import { adoptCreatedUser, answered, call, data, ok, status } from './steps';
import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';

const newKey = () => `ct-${randomBytes(12).toString('hex')}`;

/**
 * Idempotency (invariants.yaml idempotency, and the profile's idempotency_* answers): a repeat
 * with the same Idempotency-Key returns the first outcome and creates nothing new, whatever the
 * repeat's body; concurrent duplicates never both execute; the key is remembered for the scope
 * the profile says; PUT and DELETE replay where the profile says so; a malformed key is rejected.
 */
export async function idempotentReplay(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { invariants } = env.target.contracts;
  const cite = citeInvariant(invariants, 'idempotency');
  const credential = env.target.partner;
  const key = newKey();
  const body = { email: env.sb.uniqueEmail() };
  const parts = { credential, params: { org_id: world.org.id }, body, headers: { 'Idempotency-Key': key } };
  const first = await call(env, 'users_create', parts, { kind: 'positive' });
  if (!ok(first)) return;
  adoptCreatedUser(env, world.org.id, first);
  const sameOutcome = (rec: Recorded) => status(rec) === status(first) && JSON.stringify(data(rec)) === JSON.stringify(data(first));
  const again = await call(env, 'users_create', parts);
  adoptCreatedUser(env, world.org.id, again);
  expectRule(again, 'idempotent_replay', sameOutcome(again), `a repeat with the same Idempotency-Key got ${status(again)} ${JSON.stringify(data(again))}, not the first outcome`, {
    expected: { status: status(first), data: data(first) },
    actual: { status: status(again), data: data(again) },
    ...cite,
  });

  // The first outcome, whatever the repeat's body: the key is what is remembered.
  const otherEmail = env.sb.uniqueEmail();
  const reused = await call(env, 'users_create', { ...parts, body: { email: otherEmail } });
  adoptCreatedUser(env, world.org.id, reused);
  expectRule(reused, 'idempotent_replay', sameOutcome(reused), `the key repeated with another body got ${status(reused)} ${JSON.stringify(data(reused))}, not the first outcome`, {
    expected: { status: status(first), data: data(first) },
    actual: { status: status(reused), data: data(reused) },
    ...cite,
  });

  // Whose requests a key is remembered for: two users' keys, one Idempotency-Key, the same request.
  const otherKey = await env.sb.mintKey(await env.sb.createUser(world.org.id));
  const shared = { body: { email: env.sb.uniqueEmail() }, headers: { 'Idempotency-Key': newKey() } };
  const mine = await call(env, 'users_createCurrentOrgUser', { credential: world.userKey, ...shared }, { kind: 'positive' });
  adoptCreatedUser(env, world.org.id, mine);
  const theirs = await call(env, 'users_createCurrentOrgUser', { credential: otherKey, ...shared });
  adoptCreatedUser(env, world.org.id, theirs);
  if (ok(mine)) {
    const replayed = status(theirs) === status(mine) && data(theirs)?.id === data(mine)?.id;
    answered(env, theirs, 'idempotent_replay', 'idempotency_scope', replayed ? 'account' : 'credential', `another credential of the same partner ${replayed ? 'got' : 'did not get'} the first caller's outcome`);
  }

  // PUT: the same key with another body gets the first outcome where PUT replays, runs where it does not.
  const org = world.org.id;
  const putKey = newKey();
  const putA = await call(env, 'organization_update', { credential, params: { id: org }, body: { name: env.sb.uniqueName('org') }, headers: { 'Idempotency-Key': putKey } }, { kind: 'positive' });
  const putB = await call(env, 'organization_update', { credential, params: { id: org }, body: { name: env.sb.uniqueName('org') }, headers: { 'Idempotency-Key': putKey } });
  if (ok(putA) && ok(putB)) {
    answered(env, putB, 'idempotent_replay', 'idempotency_on_put', data(putB)?.name === data(putA)?.name ? 'replayed' : 'ignored', 'a PUT repeating an Idempotency-Key with another body');
  }

  // DELETE: a repeat of a delete gets the first outcome where DELETE replays, not-found where it runs again.
  const doomed = await env.sb.createUser(world.org.id);
  const delParts = { credential, params: { org_id: world.org.id, id: doomed.id }, headers: { 'Idempotency-Key': newKey() } };
  const delA = await call(env, 'users_delete', delParts, { kind: 'positive' });
  const delB = await call(env, 'users_delete', delParts);
  if (ok(delA)) answered(env, delB, 'idempotent_replay', 'idempotency_on_delete', status(delB) === status(delA) ? 'replayed' : 'ignored', `a repeated DELETE with the same Idempotency-Key got ${status(delB)}`);

  // Keys are minted fresh on every execution, so two executions are visible as two values.
  const keyUser = await env.sb.createUser(world.org.id);
  const mint = { credential, params: { org_id: world.org.id, id: keyUser.id }, headers: { 'Idempotency-Key': newKey() } };
  const [a, b] = await Promise.all([call(env, 'users_createApiKey', mint), call(env, 'users_createApiKey', mint)]);
  const both = ok(a) && ok(b);
  expectRule(b, 'idempotent_replay', both ? data(a)?.value === data(b)?.value : [status(a), status(b)].includes(invariants.idempotency.in_flight_status), `concurrent duplicates got ${status(a)} and ${status(b)}${both ? ' with two different keys: the request ran twice' : ''}`, cite);

  await call(env, 'users_create', { ...parts, headers: { 'Idempotency-Key': 'bad key!' } }, { kind: 'negative', location: 'header', violation: 'malformed Idempotency-Key', rejectedAs: 'malformed_header_status' });
}
