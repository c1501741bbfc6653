import { citeInvariant } from '../model/contracts';
import { fieldMarks } from '../model/spec/fields';
import { defineCheck } from './types';

export default defineCheck({
  id: 'mass_assignment',
  title: 'No mass assignment',
  severity: 'blocker',
  restsOn: "invariant tenant_scope, and the profile's answer to the question a body field naming another place names (permissions_organization_id)",
  judged: {
    everyAnswer: 'every create answered with an instance that landed elsewhere than where the request acts',
    atMoment: "what a create naming another organization in its body gets when it does not land there (rejected or ignored) is observed by the scenario that sends it",
  },
  description: "A create naming another organization in its body lands where the profile says (permissions_organization_id) where the spec declares the field, and in the caller's organization where it does not.",
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const r = v.resource;
    if (v.role !== 'create' || !v.ok || !r?.within || !v.mine) return;
    const landed = v.items[0]?.[r.within.field];
    const acts = seen.containerOf(ex, r);
    if (typeof landed !== 'string' || !acts || landed === acts) return;
    const body = ex.request.body as Record<string, unknown> | undefined;
    const declared = fieldMarks(ctx.spec.doc, ex.operation.requestBody!.schemaPointer).find((m) => m.path.length === 1 && m.path[0] === r.within!.field && m.otherAnsweredBy);
    const where = { pointer: `/data/${r.within.field}`, expected: acts, actual: landed };
    if (declared?.otherAnsweredBy && body?.[r.within.field] === landed) {
      const q = declared.otherAnsweredBy;
      if (ctx.contracts.profile.accepts(q, 'honoured')) return;
      return { ...where, message: `a ${r.kind} landed in the ${r.within.kind} its body names, not the one the request acts in (the target answers ${q} with ${ctx.contracts.profile.accepted(q).join(' or ')})`, ...ctx.contracts.profile.cite(q) };
    }
    return { ...where, message: `a body field moved a new ${r.kind} to another ${r.within.kind} than the request acts in`, ...citeInvariant(ctx.contracts.invariants, 'tenant_scope') };
  },
});
