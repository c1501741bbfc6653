import { citeInvariant } from '../../model/contracts';
import type { CredentialKind } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { schemeOf, scopeKind, sendableKinds } from '../generation/plan';
import { answered, holds, ok, status, step } from './steps';

/**
 * The identity operation (invariants.yaml identity_names_caller), as a scenario: sent with each
 * kind of credential the run can hold (a partner key, a user key, an organization-scoped key).
 * Every successful answer is judged by identity_names_caller against the credential it was sent
 * with; at this moment, a refusal: a new user's key that does not work yet answers
 * new_user_key_works, any other refusal breaks the rule.
 */
export async function identityNamesCaller(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { spec, contracts } = env.target;
  const rule = contracts.invariants.identity_names_caller;
  const op = spec.byId.get(rule.operation);
  if (!op) throw new Error(`invariants.yaml identity_names_caller names ${rule.operation}, which is no operation of the spec`);
  const scope = await world.instance(scopeKind(spec) ?? 'organization');
  const sendable = sendableKinds(env.target);
  for (const kind of Object.keys(rule.callers) as CredentialKind[]) {
    const scheme = schemeOf(spec, kind);
    // Kinds made of a key this run was not given (a deployment key's, under a partner key) are not sent; read-only runs mint none.
    if (!op.credentials.includes(kind) || !sendable.includes(kind) || (scheme?.mintedBy && env.target.config.readOnly)) continue;
    const plan = await world.plan(op.id, { credential: kind, within: scope });
    const rec = await step(env, plan, {}, { kind: 'probe' });
    if (ok(rec)) continue;
    // A kind that works only under an answer (a new user's key, new_user_key_works): its refusal is the other answer.
    const [question, works] = Object.entries(scheme?.usableWhen ?? {})[0] ?? [];
    const otherwise = question ? contracts.questions.get(question)?.answers.filter((a) => String(a) !== String(works)) : undefined;
    if (question && otherwise?.length === 1) answered(env, rec, 'identity_names_caller', question, String(otherwise[0]), `${op.id} with a new ${kind} key got ${status(rec)}`);
    else holds(env, rec, 'identity_names_caller', false, `${op.id} with a ${kind} credential got ${status(rec)}`, citeInvariant(contracts.invariants, 'identity_names_caller'));
  }
}
