import { observeDrift } from './drift/observe';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'spec_drift',
  title: 'No undocumented behaviour',
  severity: 'normal',
  description:
    'The server does nothing the spec does not say: no undeclared response fields (also where additionalProperties allows them) or headers, no nulls in non-nullable fields, no enum values outside the declared set. Known drift in contracts/drift-baseline.yaml is reported, not failed, until it expires.',
  run(ex, ctx) {
    const out: Omit<Finding, 'check'>[] = [];
    for (const item of observeDrift(ex, ctx.spec.doc)) {
      // Undocumented statuses are status_code_conformance's finding (with the same drift key).
      if (item.kind === 'undocumented_status') continue;
      const status = ctx.contracts.baseline.status(item.key);
      if (status === 'known') continue;
      out.push({
        message: `${item.kind.replace(/_/g, ' ')} at ${item.pointer || '/'}${status === 'expired' ? ` (baseline entry expired ${ctx.contracts.baseline.entry(item.key)!.expires})` : ''} [drift key: ${item.key}]`,
        pointer: item.pointer,
        actual: item.example,
        expected: item.patch,
        driftKey: item.key,
      });
    }
    return out;
  },
});
