import { citeInvariant } from '../model/contracts';
import { defineCheck } from './types';

export default defineCheck({
  id: 'owner_org_protected',
  title: 'The owner organization cannot be deleted',
  severity: 'blocker',
  restsOn: "invariant owner_org_protected, and the profile's answer to owner_org_delete_status",
  judged: { everyAnswer: 'every delete of the owner organization (POLYTOMIC_OWNER_ORG_ID); sent on purpose only where CONFORMANCE_ALLOW_OWNER_DELETE_PROBE=1 or on the embedded mock' },
  description: "Deleting the partner's own owner organization is refused (with the profile's status) and it stays.",
  run(ex, ctx, seen) {
    if (!ex.operation || !seen.ownerId || ex.request.method !== 'DELETE') return;
    const v = seen.view(ex);
    if (!v.mine || v.self?.id !== seen.ownerId) return;
    const { profile } = ctx.contracts;
    const { status } = ex.response;
    if (v.ok) return { message: `deleting the owner organization got ${status}`, actual: { status, instance: seen.ownerId }, ...citeInvariant(ctx.contracts.invariants, 'owner_org_protected') };
    if (status < 500 && status !== 429 && !profile.accepts('owner_org_delete_status', status)) {
      return { message: `deleting the owner organization got ${status} (the target answers owner_org_delete_status with ${profile.accepted('owner_org_delete_status').join(' or ')})`, expected: profile.accepted('owner_org_delete_status'), actual: status, ...profile.cite('owner_org_delete_status') };
    }
  },
});
