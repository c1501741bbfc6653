import { citeInvariant } from '../model/contracts';
import { fieldMarks } from '../model/spec/fields';
import { matchPath, type Spec } from '../model/spec/load';
import { answeredResource, scopeKindOf } from '../model/spec/resources';
import { defineCheck, type Exchange, type Finding } from './types';

/**
 * The tenant a request acts in: an id its path names, else the one its credential was made to
 * act in (an organization-scoped key, a user key of a user of the organization). Never read back
 * from the credential itself: a user name may be a secret (a deployment key).
 */
function tenantOf(ex: Exchange, kind: string, spec: Spec): string | undefined {
  const op = ex.operation!;
  const inPath = op.params.find((p) => p.in === 'path' && p.resource === kind);
  if (inPath) return matchPath(spec, ex.request.path)?.params[inPath.name];
  return ex.request.as?.scope;
}

export default defineCheck({
  id: 'answers_in_scope',
  title: 'Answers stay inside the tenant the request acts in',
  severity: 'blocker',
  restsOn: 'invariant tenant_scope',
  judged: { everyAnswer: 'every answer to a request acting in one organization' },
  description:
    "invariants.yaml tenant_scope, judged on every answer of the run: an answer to a request that acts in one organization (named in its path, or the one its credential acts in: an organization-scoped key, a user key) holds only that organization's users, roles and policies, and a current-organization read names that organization.",
  run(ex, ctx) {
    const op = ex.operation;
    const status = ex.response.status;
    if (!op || status < 200 || status >= 300 || ex.intent.kind === 'method_probe') return;
    const kind = scopeKindOf(ctx.spec);
    const answered = answeredResource(ctx.spec, op);
    if (!kind || !answered) return;
    const tenant = tenantOf(ex, kind, ctx.spec);
    if (!tenant) return;
    const data = (ex.response.json as { data?: unknown } | undefined)?.data;
    const items = answered.list ? (Array.isArray(data) ? data : []) : [data];
    const { resource } = answered;
    // A body field naming another tenant (x-other-answered-by) may be honoured, where the profile says so.
    const body = ex.request.body as Record<string, unknown> | undefined;
    const named = op.requestBody && resource.within ? fieldMarks(ctx.spec.doc, op.requestBody.schemaPointer).find((m) => m.path.length === 1 && m.path[0] === resource.within!.field && m.otherAnsweredBy) : undefined;
    const question = named?.otherAnsweredBy;
    const namedTenant = question ? body?.[named.path[0]] : undefined;
    const out: Omit<Finding, 'check'>[] = [];
    const cite = citeInvariant(ctx.contracts.invariants, 'tenant_scope');
    items.forEach((item, i) => {
      if (!item || typeof item !== 'object') return;
      const at = answered.list ? `/data/${i}` : '/data';
      const value = item as Record<string, unknown>;
      const home = resource.within?.kind === kind ? value[resource.within.field] : undefined;
      // Landing where the body says is the question's `honoured` answer: the profile's to allow.
      if (typeof home === 'string' && home !== tenant && question && home === namedTenant) {
        if (!ctx.contracts.profile.accepts(question, 'honoured')) out.push({ message: `${resource.kind} ${value.id} landed in the ${kind} its body names (${home}), not the one the request acts in (${tenant})`, pointer: `${at}/${resource.within!.field}`, expected: tenant, actual: home, ...ctx.contracts.profile.cite(question) });
      } else if (typeof home === 'string' && home !== tenant) {
        out.push({ message: `${resource.kind} ${value.id} of ${kind} ${home} in an answer acting in ${kind} ${tenant}`, pointer: `${at}/${resource.within!.field}`, expected: tenant, actual: home, ...cite });
      }
      if (resource.kind === kind && typeof value.id === 'string' && value.id !== tenant) {
        out.push({ message: `${kind} ${value.id} in an answer acting in ${kind} ${tenant}`, pointer: `${at}/id`, expected: tenant, actual: value.id, ...cite });
      }
    });
    return out;
  },
});
