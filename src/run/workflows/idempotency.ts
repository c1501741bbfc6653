import { randomBytes } from 'node:crypto';
import type { Recorded } from '../../checks/types';
import { citeInvariant } from '../../model/contracts';
import { resourcesOf } from '../../model/spec/resources';
import { type Operation, rememberedHeaderName, type Spec } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { mintedScheme, positiveWith, scopeKind, usable } from '../generation/plan';
import { SetupError } from '../../target/sandbox';
import { contains } from '../../checks/compare';
import { answered, data, holds, ok, status, step } from './steps';

const newKey = () => `ct-${randomBytes(12).toString('hex')}`;

/** The header a server remembers across requests (`x-unique-per-request`: an idempotency key), if the operation takes one. */
function rememberedHeader(spec: Spec, opId: string): string | undefined {
  return spec.byId.get(opId)?.params.find((p) => p.in === 'header' && p.uniquePerRequest && !p.honouredWhen)?.name;
}

/** Creates that take a remembered header the server always honours (every resource's, where the spec gives one). */
export function replayableCreates(spec: Spec): string[] {
  return [...resourcesOf(spec).byKind.values()].map((r) => r.routes[0].create.id).filter((id) => rememberedHeader(spec, id));
}

/**
 * A create repeated with the same idempotency key gets the first outcome and makes nothing new,
 * whatever the repeat's body (invariants.yaml idempotency): for every resource whose create takes
 * the key.
 */
export async function idempotentCreate(env: SuiteEnv, opId: string): Promise<void> {
  const header = rememberedHeader(env.target.spec, opId)!;
  const cite = citeInvariant(env.target.contracts.invariants, 'idempotency');
  const plan = await env.world.plan(opId);
  const headers = { [header]: newKey() };
  const first = await step(env, plan, { body: plan.example, headers }, { kind: 'positive' });
  if (!ok(first)) return;
  // The same outcome, however its members and lists are ordered.
  const sameOutcome = (rec: Recorded) => status(rec) === status(first) && contains(data(first), data(rec)) && contains(data(rec), data(first));
  const again = await step(env, plan, { body: plan.example, headers });
  holds(env, again, 'idempotent_replay', sameOutcome(again), `a repeat of ${opId} with the same ${header} got ${status(again)} ${JSON.stringify(data(again))}, not the first outcome`, {
    expected: { status: status(first), data: data(first) },
    actual: { status: status(again), data: data(again) },
    ...cite,
  });
  // The first outcome, whatever the repeat's body: the key is what is remembered.
  const other = plan.fixBody ? plan.fixBody(plan.example ?? {}) : plan.example;
  const reused = await step(env, plan, { body: other, headers });
  holds(env, reused, 'idempotent_replay', sameOutcome(reused), `${opId} repeating the ${header} with another body got ${status(reused)} ${JSON.stringify(data(reused))}, not the first outcome`, {
    expected: { status: status(first), data: data(first) },
    actual: { status: status(reused), data: data(reused) },
    ...cite,
  });
}

/**
 * The rest of the idempotency contract (the profile's idempotency_* answers): whose requests a
 * key is remembered for; PUT and DELETE replaying where the profile says so; concurrent
 * duplicates never both executing; a malformed key rejected.
 */
export async function idempotencyScopeAndMethods(env: SuiteEnv): Promise<void> {
  const H = rememberedHeaderName(env.target.spec);
  if (!H) throw new SetupError('the spec names no header a server remembers (x-unique-per-request)');
  const { world } = env;
  const { invariants } = env.target.contracts;
  const cite = citeInvariant(invariants, 'idempotency');
  const { spec } = env.target;
  const org = await world.instance(scopeKind(spec) ?? '');
  // The operations it takes, as the spec says: which take the remembered header, and what each is.
  const takes = (o: Operation) => o.params.some((p) => p.in === 'header' && p.name === H);
  const role = (o: Operation) => resourcesOf(spec).routeOf.get(o.id)?.role;
  const scheme = mintedScheme(spec);
  const minted = scheme?.kind;
  const mintOp = scheme?.mintedBy ? spec.byId.get(scheme.mintedBy) : undefined;
  const keyCreate = spec.operations.find((o) => role(o) === 'create' && takes(o) && minted && o.credentials.includes(minted));
  const put = spec.operations.find((o) => o.method === 'put' && takes(o));
  const del = spec.operations.find((o) => role(o) === 'delete' && takes(o));
  const create = spec.operations.find((o) => role(o) === 'create' && takes(o));
  if (!minted || !mintOp || !keyCreate || !put || !del || !create) throw new SetupError(`the spec gives no minted key, or no create taking ${H} with one, no PUT, no delete, no create taking it`);

  // Whose requests a key is remembered for: two users' keys, one idempotency key, the same request.
  const mine = await world.plan(keyCreate.id, { credential: minted, within: org });
  const otherKey = (await world.mint(org)).credential;
  const shared = { body: mine.example, headers: { [H]: newKey() } };
  // A new user's key that may not work yet (new_user_key_works) proves nothing by failing.
  const first = await step(env, mine, shared, usable(env.target.spec, env.target.contracts.profile, minted) ? positiveWith(env.target.spec, minted) : { kind: 'probe' });
  const theirs = await step(env, mine, { ...shared, credential: otherKey });
  if (ok(first)) {
    const replayed = status(theirs) === status(first) && data(theirs)?.id === data(first)?.id;
    answered(env, theirs, 'idempotent_replay', 'idempotency_scope', replayed ? 'account' : 'credential', `another credential of the same partner ${replayed ? 'got' : 'did not get'} the first caller's outcome`);
  }

  // PUT: the same key with another body gets the first outcome where PUT replays, runs where it does not.
  const update = await world.plan(put.id, { target: resourcesOf(spec).routeOf.get(put.id)?.resource.kind === org.kind ? org : undefined });
  const putKey = { [H]: newKey() };
  const putA = await step(env, update, { body: update.fixBody!(update.example ?? {}), headers: putKey }, { kind: 'positive' });
  const putB = await step(env, update, { body: update.fixBody!(update.example ?? {}), headers: putKey });
  if (ok(putA) && ok(putB)) {
    answered(env, putB, 'idempotent_replay', 'idempotency_on_put', data(putB)?.name === data(putA)?.name ? 'replayed' : 'ignored', `a PUT repeating an ${H} with another body`);
  }

  // DELETE: a repeat of a delete gets the first outcome where DELETE replays, not-found where it runs again.
  const deletion = await world.plan(del.id);
  const delKey = { [H]: newKey() };
  const delA = await step(env, deletion, { headers: delKey }, { kind: 'positive' });
  const delB = await step(env, deletion, { headers: delKey });
  if (ok(delA)) answered(env, delB, 'idempotent_replay', 'idempotency_on_delete', status(delB) === status(delA) ? 'replayed' : 'ignored', `a repeated DELETE with the same ${H} got ${status(delB)}`);

  // Keys are minted fresh on every execution, so two executions are visible as two values.
  const mint = await world.plan(mintOp.id);
  const mintKey = { [H]: newKey() };
  // Truly at once: spaced by the rate cap they would rarely overlap on a live target.
  const [a, b] = await env.target.client.together(2, () => Promise.all([step(env, mint, { headers: mintKey }), step(env, mint, { headers: mintKey })]));
  const both = ok(a) && ok(b);
  holds(env, b, 'idempotent_replay', both ? data(a)?.value === data(b)?.value : [status(a), status(b)].includes(invariants.idempotency.in_flight_status), `concurrent duplicates got ${status(a)} and ${status(b)}${both ? ' with two different keys: the request ran twice' : ''}`, cite);

  const malformed = await world.plan(create.id);
  await step(env, malformed, { body: malformed.example, headers: { [H]: 'bad key!' } }, { kind: 'negative', location: 'header', violation: `malformed ${H}`, rejectedAs: 'malformed_header_status' });
}
