import { randomBytes } from 'node:crypto';
import { expectRule } from '../checks/stateful';
import type { SuiteEnv } from '../suites/examples';
import { call, data, ok, status } from './steps';

const newKey = () => `ct-${randomBytes(12).toString('hex')}`;

/**
 * Idempotency: a repeat with the same Idempotency-Key returns the first outcome and creates
 * nothing new; concurrent duplicates never both execute; a malformed key is rejected.
 */
export async function idempotentReplay(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const credential = env.target.partner;
  const key = newKey();
  const body = { email: env.sb.uniqueEmail() };
  const parts = { credential, params: { org_id: world.org.id }, body, headers: { 'Idempotency-Key': key } };
  const first = await call(env, 'users_create', parts, { kind: 'positive' });
  if (!ok(first)) return;
  env.sb.adopt('user', data(first).id, `/api/organizations/${world.org.id}/users/${data(first).id}`);
  const again = await call(env, 'users_create', parts);
  if (ok(again) && data(again)?.id !== data(first)?.id) env.sb.adopt('user', data(again).id, `/api/organizations/${world.org.id}/users/${data(again).id}`);
  expectRule(
    again,
    'idempotent_replay',
    status(again) === status(first) && JSON.stringify(data(again)) === JSON.stringify(data(first)),
    `a repeat with the same Idempotency-Key got ${status(again)} ${JSON.stringify(data(again))}, not the first outcome`,
    { expected: { status: status(first), data: data(first) }, actual: { status: status(again), data: data(again) } },
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

  await call(env, 'users_create', { ...parts, headers: { 'Idempotency-Key': 'bad key!' } }, { kind: 'negative', location: 'header', violation: 'malformed Idempotency-Key' });
}
