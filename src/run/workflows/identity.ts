import { expectRule } from '../../checks/stateful';
import { type CallerExpectation, citeInvariant } from '../../model/contracts';
import type { CredentialKind } from '../../model/spec/load';
import type { SuiteEnv } from '../env';
import { type Instance, scopeKind } from '../generation/plan';
import { answered, data, ok, status, step } from './steps';

const fieldOf = (i: Instance | undefined, field: string) => (field === 'id' ? i?.id : i?.data[field]);

/** The value a `$holder.x` / `$scope.x` reference names. */
function expectedValues(expected: Record<string, unknown>, refs: { holder?: Instance; scope?: Instance }): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(expected).map(([k, v]) => {
      const m = typeof v === 'string' ? /^\$(holder|scope)\.(\w+)$/.exec(v) : null;
      return [k, m ? fieldOf(refs[m[1] as 'holder' | 'scope'], m[2]) : v];
    }),
  );
}

const matches = (want: Record<string, unknown>, got: Record<string, unknown> | undefined) => Object.entries(want).every(([k, v]) => got?.[k] === v);

/**
 * The identity operation (invariants.yaml identity_names_caller) names each kind of caller the
 * run can be: a partner key, a user key and an organization-scoped key, each answered with the
 * fields the invariant (or, where a question decides, the profile's answer) says.
 */
export async function identityNamesCaller(env: SuiteEnv): Promise<void> {
  const { world } = env;
  const { spec, contracts } = env.target;
  const rule = contracts.invariants.identity_names_caller;
  const op = spec.byId.get(rule.operation);
  if (!op) throw new Error(`invariants.yaml identity_names_caller names ${rule.operation}, which is no operation of the spec`);
  const scope = await world.instance(scopeKind(spec) ?? 'organization');
  const cite = citeInvariant(contracts.invariants, 'identity_names_caller');
  for (const [kind, expectation] of Object.entries(rule.callers) as [CredentialKind, CallerExpectation][]) {
    if (!op.credentials.includes(kind)) continue;
    let holder: Instance | undefined;
    if (kind === 'user') {
      if (env.target.config.readOnly) continue;
      holder = (await world.userKey(scope)).holder;
    }
    const plan = await world.plan(op.id, { credential: kind, within: scope });
    const rec = await step(env, plan, {}, { kind: 'probe' });
    const refs = { holder, scope };
    if (!ok(rec)) {
      // A new user's key that does not work yet is one answer to new_user_key_works, not a wrong identity.
      if (kind === 'user') answered(env, rec, 'identity_names_caller', 'new_user_key_works', 'no', `${op.id} with a new user's key got ${status(rec)}`);
      else expectRule(rec, 'identity_names_caller', false, `${op.id} with a ${kind} credential got ${status(rec)}`, cite);
      continue;
    }
    const got = data(rec) as Record<string, unknown> | undefined;
    if ('answered-by' in expectation) {
      const question = String(expectation['answered-by']);
      const seen = Object.keys(expectation).find((a) => a !== 'answered-by' && matches(expectedValues(expectation[a] as Record<string, unknown>, refs), got));
      answered(env, rec, 'identity_names_caller', question, seen ?? 'neither', `${op.id} with a ${kind} credential answered ${JSON.stringify(got)}`);
    } else {
      const want = expectedValues(expectation, refs);
      expectRule(rec, 'identity_names_caller', matches(want, got), `${op.id} with a ${kind} credential does not name its caller`, { expected: want, actual: got, ...cite });
    }
  }
}
