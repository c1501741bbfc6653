import { headerMatcher } from '../model/config-file';
import { type HeaderFilter, observeDrift } from './drift/observe';
import { type CheckContext, defineCheck, type Finding } from './types';

const filters = new WeakMap<object, HeaderFilter>();

/** The configured infrastructure headers as one matcher, built once per configuration. */
export function infrastructureOf(ctx: Pick<CheckContext, 'config'>): HeaderFilter {
  let f = filters.get(ctx.config);
  if (!f) {
    f = headerMatcher(ctx.config.drift.infrastructureHeaders);
    filters.set(ctx.config, f);
  }
  return f;
}

export default defineCheck({
  id: 'spec_drift',
  title: 'No undocumented behaviour',
  severity: 'normal',
  restsOn: 'the spec: what it does not say is drift, per the drift policy and the baseline',
  judged: { everyAnswer: 'every answer' },
  description:
    'The server does nothing the spec does not say: undeclared response fields (also where additionalProperties allows them) and headers, nulls in non-nullable fields, enum values outside the declared set. The drift policy says which kinds fail the run (by default nulls and enum values; fields and headers are reported only), infrastructure headers (CDN, load balancer, rate limiter) are never drift, and known drift in contracts/drift-baseline.yaml is reported, not failed, until it expires.',
  run(ex, ctx) {
    const out: Omit<Finding, 'check'>[] = [];
    for (const item of observeDrift(ex, { doc: ctx.spec.doc, validators: ctx.validators }, infrastructureOf(ctx))) {
      // Undocumented statuses are status_code_conformance's finding (with the same drift key).
      if (item.kind === 'undocumented_status' || ctx.config.drift.policy[item.kind] !== 'fail') continue;
      const status = ctx.contracts.baseline.status(item.key);
      if (status === 'known') continue;
      out.push({
        message: `${item.kind.replace(/_/g, ' ')} at ${item.pointer || '/'}${status === 'expired' ? ` (baseline entry expired ${ctx.contracts.baseline.entry(item.key)?.expires})` : ''} [drift key: ${item.key}]`,
        pointer: item.pointer,
        actual: item.example,
        expected: item.patch,
        driftKey: item.key,
        rule: item.patch[0].path,
        basis: 'spec',
      });
    }
    return out;
  },
});
