import { randomBytes } from 'node:crypto';
import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import { adoptCreatedUser, call, data, ok, status } from './steps';

const newKey = () => `ct-${randomBytes(12).toString('hex')}`;

/**
 * Idempotency: a repeat with the same Idempotency-Key returns the first outcome and creates
 * nothing new; the key reused for another request is refused; concurrent duplicates never both
 * execute; another credential's identical request is its own; a malformed key is rejected.
 */
export async function idempotentReplay(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const credential = env.target.partner;
  const key = newKey();
  const body = { email: env.sb.uniqueEmail() };
  const parts = { credential, params: { org_id: world.org.id }, body, headers: { 'Idempotency-Key': key } };
  const first = await call(env, 'users_create', parts, { kind: 'positive' });
  if (!ok(first)) return;
  adoptCreatedUser(env, world.org.id, first);
  const again = await call(env, 'users_create', parts);
  adoptCreatedUser(env, world.org.id, again);
  expectRule(
    again,
    'idempotent_replay',
    status(again) === status(first) && JSON.stringify(data(again)) === JSON.stringify(data(first)),
    `a repeat with the same Idempotency-Key got ${status(again)} ${JSON.stringify(data(again))}, not the first outcome`,
    { expected: { status: status(first), data: data(first) }, actual: { status: status(again), data: data(again) } },
  );

  const { idempotency } = env.target.contracts.choices;
  const reused = await call(env, 'users_create', { ...parts, body: { email: env.sb.uniqueEmail() } });
  adoptCreatedUser(env, world.org.id, reused);
  expectRule(reused, 'idempotent_replay', status(reused) === idempotency.reused_with_different_request_status, `the key reused for a different body got ${status(reused)}`, { expected: idempotency.reused_with_different_request_status, actual: status(reused) });

  // choices.idempotency.scope: credential — two users' keys, one Idempotency-Key, the same request.
  const otherKey = await env.sb.mintKey(await env.sb.createUser(world.org.id));
  const shared = { body: { email: env.sb.uniqueEmail() }, headers: { 'Idempotency-Key': newKey() } };
  const mine = await call(env, 'users_createCurrentOrgUser', { credential: world.userKey, ...shared }, { kind: 'positive' });
  adoptCreatedUser(env, world.org.id, mine);
  const theirs = await call(env, 'users_createCurrentOrgUser', { credential: otherKey, ...shared });
  adoptCreatedUser(env, world.org.id, theirs);
  expectRule(
    theirs,
    'idempotent_replay',
    !(ok(mine) && status(theirs) === status(mine) && data(theirs)?.id === data(mine)?.id),
    "another credential's request with the same Idempotency-Key got the first caller's outcome",
    { actual: { status: status(theirs), data: data(theirs) } },
  );

  // Keys are minted fresh on every execution, so two executions are visible as two values.
  const keyUser = await env.sb.createUser(world.org.id);
  const mint = { credential, params: { org_id: world.org.id, id: keyUser.id }, headers: { 'Idempotency-Key': newKey() } };
  const [a, b] = await Promise.all([call(env, 'users_createApiKey', mint), call(env, 'users_createApiKey', mint)]);
  const inFlight = env.target.contracts.choices.idempotency.in_flight_duplicate_status;
  const both = ok(a) && ok(b);
  expectRule(
    b,
    'idempotent_replay',
    both ? data(a)?.value === data(b)?.value : [status(a), status(b)].includes(inFlight),
    `concurrent duplicates got ${status(a)} and ${status(b)}${both ? ' with two different keys: the request ran twice' : ''}`,
  );

  await call(env, 'users_create', { ...parts, headers: { 'Idempotency-Key': 'bad key!' } }, { kind: 'negative', location: 'header', violation: 'malformed Idempotency-Key', rejectedAs: 'malformed_request_status' });
}
