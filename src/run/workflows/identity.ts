import { citeInvariant } from '../../model/contracts';
import type { CredentialKind } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { scopeKind } from '../generation/plan';
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
  for (const kind of Object.keys(rule.callers) as CredentialKind[]) {
    if (!op.credentials.includes(kind) || (kind === 'user' && env.target.config.readOnly)) continue;
    const plan = await world.plan(op.id, { credential: kind, within: scope });
    const rec = await step(env, plan, {}, { kind: 'probe' });
    if (ok(rec)) continue;
    if (kind === 'user') answered(env, rec, 'identity_names_caller', 'new_user_key_works', 'no', `${op.id} with a new user's key got ${status(rec)}`);
    else holds(env, rec, 'identity_names_caller', false, `${op.id} with a ${kind} credential got ${status(rec)}`, citeInvariant(contracts.invariants, 'identity_names_caller'));
  }
}
