import { citeInvariant } from '../model/contracts';
import { UUID } from '../model/formats';
import { isSuccess, walkMembers } from './response-util';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'contract_ids_are_uuids',
  title: 'Identifiers are uuids',
  severity: 'normal',
  restsOn: 'invariant uuid_fields (a guess)',
  judged: { everyAnswer: 'every answer' },
  description:
    'invariants.yaml uuid_fields: every id, organization_id and role_ids item in a response is a uuid, Organization.id included (path ids are uuids, so a non-uuid id cannot be used again).',
  run(ex, ctx) {
    if (!isSuccess(ex.response.status)) return;
    const fields = new Set(ctx.contracts.invariants.uuid_fields.fields);
    const cite = citeInvariant(ctx.contracts.invariants, 'uuid_fields');
    const out: Omit<Finding, 'check'>[] = [];
    walkMembers(ex.response.json, (key, value, pointer) => {
      if (!fields.has(key) || value === null) return;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        if (typeof item !== 'string' || !UUID.test(item)) {
          out.push({ message: `${key} ${JSON.stringify(item)} is not a uuid`, pointer: Array.isArray(value) ? `${pointer}/${i}` : pointer, actual: item, ...cite, rule: `${cite.rule} ${key}` });
        }
      });
    });
    return out;
  },
});
