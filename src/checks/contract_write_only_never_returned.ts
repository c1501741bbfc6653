import { citeInvariant } from '../model/contracts';
import { walkMembers } from './response-util';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_write_only_never_returned',
  title: 'Write-only fields are never returned',
  severity: 'blocker',
  restsOn: 'invariant never_returned',
  judged: { everyAnswer: 'every answer' },
  description: 'invariants.yaml never_returned: the write-only `client_secret` never appears in any response.',
  run(ex, ctx) {
    const fields = new Set(ctx.contracts.invariants.never_returned.fields);
    const cite = citeInvariant(ctx.contracts.invariants, 'never_returned');
    const out: Omit<Finding, 'check'>[] = [];
    walkMembers(ex.response.json, (key, _value, pointer) => {
      // The value itself is a secret: report where it is, never what it is.
      if (fields.has(key)) out.push({ message: `write-only field ${key} returned at ${pointer}`, pointer, ...cite, rule: `${cite.rule} ${key}` });
    });
    return out;
  },
});
