import { citeRule, kindedRules } from '../model/contracts';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'unique_in_container',
  title: 'No two instances of a container share a value the invariants make unique',
  severity: 'critical',
  restsOn: 'invariants of kind unique_per_container',
  judged: { everyAnswer: "every list of the resource an invariant names, where one of the instances sharing a value is the run's" },
  description:
    "Where an invariant (kind unique_per_container) says a field is unique in a container, no list shows two instances with the same value of it (emails compared without case). Judged only where one of them is the run's: what other runs or people left is theirs.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const r = v.resource;
    if (!r || !v.ok || v.role !== 'list' || !v.mine) return;
    const out: Draft[] = [];
    for (const rule of kindedRules(ctx.contracts.invariants)) {
      if (rule.kind !== 'unique_per_container' || rule.resource !== r.kind) continue;
      const email = ctx.spec.doc.components?.schemas?.[r.entity]?.properties?.[rule.field]?.format === 'email';
      const byValue = new Map<string, Set<string>>();
      for (const item of v.items) {
        const value = item[rule.field];
        if (typeof value !== 'string') continue;
        const key = email ? value.toLowerCase() : value;
        byValue.set(key, (byValue.get(key) ?? new Set()).add(item.id as string));
      }
      for (const [value, ids] of byValue) {
        if (ids.size < 2 || ![...ids].some((id) => seen.known(id)?.made)) continue;
        out.push({ message: `${ex.operation.id} lists ${ids.size} ${r.kind}s sharing the ${rule.field} ${value}`, pointer: `/data/*/${rule.field}`, expected: `one ${r.kind} per ${rule.field}`, actual: [...ids], ...citeRule(rule.id, rule) });
      }
    }
    return out;
  },
});
