import { citeInvariant } from '../model/contracts';
import { defineCheck } from './types';

const matches = (want: Record<string, unknown>, got: Record<string, unknown> | undefined) => Object.entries(want).every(([k, v]) => got?.[k] === v);

/** The values a `$holder.id` / `$scope.id` reference names, for what a request acts as; undefined where it names what the run does not know. */
function expectedValues(expected: Record<string, unknown>, refs: { holder?: string; scope?: string }): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expected)) {
    const m = typeof v === 'string' ? /^\$(holder|scope)\.id$/.exec(v) : null;
    const value = m ? refs[m[1] as 'holder' | 'scope'] : v;
    if (value === undefined) return undefined;
    out[k] = value;
  }
  return out;
}

/** Which answer of a caller rule (`answered-by` and an expectation per answer) an identity body shows; undefined for none. */
export function callerAnswer(expectation: Record<string, unknown>, got: Record<string, unknown> | undefined, refs: { holder?: string; scope?: string }): string | undefined {
  return Object.keys(expectation).find((a) => {
    const want = a !== 'answered-by' ? expectedValues(expectation[a] as Record<string, unknown>, refs) : undefined;
    return want && matches(want, got);
  });
}

export default defineCheck({
  id: 'identity_names_caller',
  title: 'GET /api/me names its caller',
  severity: 'critical',
  restsOn: "invariant identity_names_caller, and the profile's answer to org_key_identity",
  judged: {
    everyAnswer: 'every successful answer of the identity operation, judged against the credential the request was sent with',
    atMoment: "a refusal of a credential that should be named (a new user's key that does not work yet answers new_user_key_works) is judged by the scenario that sends each kind",
  },
  description: "A user key is named as its user in its organization, a partner key as a partner, an organization-scoped key as the profile says (org_key_identity).",
  run(ex, ctx, seen) {
    const rule = ctx.contracts.invariants.identity_names_caller;
    if (ex.operation?.id !== rule.operation) return;
    const v = seen.view(ex);
    const as = ex.request.as;
    const expectation = as ? rule.callers[as.kind] : undefined;
    if (!v.ok || !v.mine || !as || !expectation) return;
    const got = (ex.response.json as { data?: Record<string, unknown> } | undefined)?.data;
    const refs = { holder: as.holder, scope: as.scope };
    if ('answered-by' in expectation) {
      const question = String(expectation['answered-by']);
      const seenAs = callerAnswer(expectation, got, refs);
      const { profile } = ctx.contracts;
      if (profile.accepts(question, seenAs ?? 'neither')) return;
      return { message: `${ex.operation.id} with a ${as.kind} credential names it as ${seenAs ?? 'neither'} (the target answers ${question} with ${profile.accepted(question).join(' or ')})`, expected: profile.accepted(question), actual: got, ...profile.cite(question) };
    }
    const want = expectedValues(expectation, refs);
    if (!want || matches(want, got)) return;
    return { message: `${ex.operation.id} with a ${as.kind} credential does not name its caller`, expected: want, actual: got, ...citeInvariant(ctx.contracts.invariants, 'identity_names_caller') };
  },
});
