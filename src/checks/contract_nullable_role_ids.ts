import { entitiesOf } from './contract-entities';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_nullable_role_ids',
  title: 'Nullable arrays are present: array or null',
  severity: 'normal',
  description:
    'contracts/invariants.yaml nullable_arrays: `User.role_ids` is always present, and is an array or null (clients distinguish "no roles" from "unknown").',
  run(ex, ctx) {
    const found = entitiesOf(ex, ctx.contracts.invariants);
    const out: Omit<Finding, 'check'>[] = [];
    for (const e of found?.entities ?? []) {
      const fields = ctx.contracts.invariants.entities[e.name]?.nullable_arrays ?? [];
      if (!e.value || typeof e.value !== 'object') continue;
      for (const f of fields) {
        const v = (e.value as Record<string, unknown>)[f];
        if (v === undefined) out.push({ message: `${e.name}.${f} is absent at ${e.pointer}; it must be present (array or null)`, pointer: `${e.pointer}/${f}` });
        else if (v !== null && !Array.isArray(v)) out.push({ message: `${e.name}.${f} is ${JSON.stringify(v)}, expected an array or null`, pointer: `${e.pointer}/${f}`, actual: v });
      }
    }
    return out;
  },
});
