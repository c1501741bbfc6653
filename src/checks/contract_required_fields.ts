import { entitiesOf } from './contract-entities';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_required_fields',
  title: 'Entities carry their required fields',
  severity: 'critical',
  description:
    'contracts/invariants.yaml: every success body has its `data` envelope; every User has id, email and organization_id, every Organization id and name, every new API key its value (the public schemas mark nothing required).',
  run(ex, ctx) {
    const found = entitiesOf(ex, ctx.contracts.invariants);
    if (!found) return;
    if (!found.hasData) return { message: `${found.envelope} body has no "data" member`, expected: `{ "data": ... }`, actual: ex.response.json };
    const out: Omit<Finding, 'check'>[] = [];
    for (const e of found.entities) {
      const rule = ctx.contracts.invariants.entities[e.name];
      if (!rule) continue;
      if (!e.value || typeof e.value !== 'object') {
        // A nullable list is fine; a missing entity is not.
        if (!(e.pointer === '/data' && e.value === null && found.envelope.startsWith('List'))) {
          out.push({ message: `${e.name} at ${e.pointer} is ${JSON.stringify(e.value)}`, pointer: e.pointer });
        }
        continue;
      }
      const missing = rule.required.filter((f) => (e.value as Record<string, unknown>)[f] === undefined);
      if (missing.length) out.push({ message: `${e.name} at ${e.pointer} lacks ${missing.join(', ')}`, pointer: e.pointer, expected: rule.required, actual: Object.keys(e.value) });
    }
    return out;
  },
});
