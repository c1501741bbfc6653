import { citeInvariant, type InvariantId } from '../model/contracts';
import { defineCheck } from './types';

export default defineCheck({
  id: 'revoked_key_rejected',
  title: 'Revoked keys are refused',
  severity: 'blocker',
  restsOn: "invariants force_revokes_keys and holder_delete_revokes_keys, and the profile's answer to api_key_repeat_without_force",
  judged: {
    everyAnswer: 'every request sent with a key the run minted, once it was revoked (minted again with force=true, or its user deleted)',
    atMoment: "whether a new user's key works at once, and what minting again without force does to the earlier key, are observed by the scenario that mints them",
  },
  description: "A key minted again with force=true, or whose user was deleted, authenticates nothing: every later request with it gets 401; minting again without force does what the profile says (api_key_repeat_without_force).",
  run(ex, ctx, seen) {
    const fp = ex.request.as?.fingerprint;
    const key = fp ? seen.keys.get(fp) : undefined;
    if (!key?.revoked || !ex.operation) return;
    const v = seen.view(ex);
    if (key.revoked.at >= v.sent || !v.ok) return;
    const expected = ctx.contracts.invariants.unauthenticated.status;
    const how = key.revoked.invariant === 'holder_delete_revokes_keys' ? 'its user was deleted' : 'it was revoked by a new key';
    const cite = key.revoked.invariant ? citeInvariant(ctx.contracts.invariants, key.revoked.invariant as InvariantId) : ctx.contracts.profile.cite(key.revoked.question!);
    return { message: `a key still answers ${ex.response.status} to ${ex.operation.id} after ${how}`, expected, actual: { status: ex.response.status, holder: key.holder }, ...cite };
  },
});
