import { carriesMarker } from '../target/ledger';
import { either, expectedFromProfile, GRACE_OPTION, graceOf } from './expect';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'ensure_resource_availability',
  title: 'Created resources are available',
  severity: 'critical',
  restsOn: 'the spec (a create that answers with an instance made it) and the profile\'s answer to not_found_status',
  judged: { everyAnswer: 'every read of an instance the run made and every list of the place it lives in, in whichever test of the worker, until it is deleted' },
  description:
    'An instance the API said it created can be read, with the name or email it was given, and every list of the place it lives in holds it, until it is deleted. Judged with keys that see everything in their place (the partner key and keys built from it), not with a user key whose rights may be fewer.',
  options: GRACE_OPTION,
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    if (!v.mine || ex.request.as?.holder || !v.resource) return;
    const before = v.sent - graceOf(ctx, 'ensure_resource_availability');
    const out: Draft[] = [];
    const made = (id: unknown) => {
      const k = seen.known(id);
      return k?.made && k.made.at < before && k.deletedAt === undefined && !seen.goneBefore(k, Number.POSITIVE_INFINITY) ? k : undefined;
    };
    if (v.role === 'read' && v.self) {
      const k = made(v.self.id);
      const container = seen.containerOf(ex, v.resource);
      if (k && (!v.resource.within || container === k.home)) {
        const expected = expectedFromProfile(ctx, 'ensure_resource_availability', 'not_found_status');
        const { status } = ex.response;
        if (!v.ok && v.fair && expected.statuses.includes(status)) {
          out.push({ message: `a ${k.kind} the run made answers ${status} to ${ex.operation.id} (the not-found answer: ${either(expected.statuses)})`, expected: k.id, actual: status, rule: `${k.kind} made is readable`, basis: 'spec' });
        } else if (v.ok && k.made?.marker && k.writtenAt === k.made.at) {
          const shown = v.items[0]?.[v.resource.marker];
          // Absent, or of a value the schema check already rejected: another check's defect, on this same exchange.
          const comparable = shown !== undefined && ctx.validators.check(`#/components/schemas/${v.resource.entity}/properties/${v.resource.marker}`, shown).length === 0;
          if (comparable && !carriesMarker(shown, k.made.marker)) {
            out.push({ message: `a ${k.kind} the run made is read with another ${v.resource.marker} than it was made with`, pointer: `/data/${v.resource.marker}`, expected: k.made.marker, actual: shown, rule: `${k.kind} made is read with its ${v.resource.marker}`, basis: 'spec' });
          }
        }
      }
    }
    if (v.ok && v.role === 'list') {
      const container = v.resource.within ? seen.containerOf(ex, v.resource) : undefined;
      if (v.resource.within && !container) return out;
      const listed = new Set(v.items.map((i) => i.id));
      for (const k of seen.inside(v.resource.kind, container)) {
        if (made(k.id) && seen.isMine(k.root) && !listed.has(k.id)) out.push({ message: `a ${k.kind} the run made is not listed by ${ex.operation.id}`, expected: k.id, rule: `${k.kind} made is listed by ${ex.operation.id}`, basis: 'spec' });
      }
    }
    return out;
  },
});
