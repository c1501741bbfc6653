import { citeInvariant } from '../model/contracts';
import { entitiesOf } from './contract-entities';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_nullable_role_ids',
  title: 'Nullable arrays are present: array or null',
  severity: 'normal',
  restsOn: 'invariant nullable_arrays_present (a guess)',
  judged: { everyAnswer: 'every answer' },
  description:
    'invariants.yaml nullable_arrays_present: `User.role_ids` is always present, and is an array or null (clients distinguish "no roles" from "unknown").',
  run(ex, ctx) {
    const found = entitiesOf(ex, ctx);
    const rule = ctx.contracts.invariants.nullable_arrays_present;
    const cite = citeInvariant(ctx.contracts.invariants, 'nullable_arrays_present');
    const out: Omit<Finding, 'check'>[] = [];
    for (const e of found?.entities ?? []) {
      if (!e.value || typeof e.value !== 'object') continue;
      for (const f of rule.entities[e.name] ?? []) {
        const v = (e.value as Record<string, unknown>)[f];
        const at = { pointer: `${e.pointer}/${f}`, ...cite, rule: `${cite.rule} ${e.name}.${f}` };
        if (v === undefined) out.push({ message: `${e.name}.${f} is absent at ${e.pointer}; it must be present (array or null)`, ...at });
        else if (v !== null && !Array.isArray(v)) out.push({ message: `${e.name}.${f} is ${JSON.stringify(v)}, expected an array or null`, actual: v, ...at });
      }
    }
    return out;
  },
});
