import { citeInvariant } from '../model/contracts';
import { entitiesOf } from './contract-entities';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_required_fields',
  title: 'Entities carry their required fields',
  severity: 'critical',
  restsOn: 'invariants required_fields and envelope_data (guesses)',
  judged: { everyAnswer: 'every answer' },
  description:
    'invariants.yaml envelope_data and required_fields: every enveloped success body has its `data`; every User has id, email and organization_id, every Organization id and name, every new API key its value (the public schemas mark nothing required).',
  run(ex, ctx) {
    const found = entitiesOf(ex, ctx);
    if (!found) return;
    const inv = ctx.contracts.invariants;
    if (!found.hasData) return { message: `${found.envelope} body has no "data" member`, expected: `{ "data": ... }`, actual: ex.response.json, ...citeInvariant(inv, 'envelope_data') };
    const out: Omit<Finding, 'check'>[] = [];
    const cite = citeInvariant(inv, 'required_fields');
    for (const e of found.entities) {
      const required = inv.required_fields.entities[e.name];
      if (!required) continue;
      if (!e.value || typeof e.value !== 'object') {
        // A nullable list is fine; a missing entity is not.
        if (!(e.pointer === '/data' && e.value === null && found.envelope.startsWith('List'))) {
          out.push({ message: `${e.name} at ${e.pointer} is ${JSON.stringify(e.value)}`, pointer: e.pointer, ...cite, rule: `${cite.rule} ${e.name}` });
        }
        continue;
      }
      const missing = required.filter((f) => (e.value as Record<string, unknown>)[f] === undefined);
      if (missing.length) out.push({ message: `${e.name} at ${e.pointer} lacks ${missing.join(', ')}`, pointer: e.pointer, expected: required, actual: Object.keys(e.value), ...cite, rule: `${cite.rule} ${e.name}.${missing.join(',')}` });
    }
    return out;
  },
});
