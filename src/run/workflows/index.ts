import { rememberedHeaderName } from '../../model/spec/load';
import type { Spec } from '../../model/spec/load';
import { resourcesOf } from '../../model/spec/resources';
import type { Target } from '../../target/target';
import type { Scenario } from '../env';
import { identityNamesCaller } from './identity';
import { idempotencyScopeAndMethods, idempotentCreate, replayableCreates } from './idempotency';
import { crossOrgAccess, crossPartnerAccess, listIsolation, massAssignment, nested, ownerOrganization } from './isolation';
import { apiKeyRotation } from './keys';
import { lifecycle } from './lifecycle';
import { readonlyInstances } from './readonly';
import { deletableReferences, foreignReferences, referenceAfterDelete, referredKinds } from './references';
import { versionNegotiation } from './versions';

/** A deterministic workflow: its report group and title, when it cannot run on a target, and what it does. */
export interface Workflow {
  group: string;
  title: string;
  /** Why it is skipped on this target, if it is. */
  skip?: (target: Target) => string | undefined;
  run: Scenario;
}

const writes = (t: Target) => (t.config.readOnly ? 'POLYTOMIC_READ_ONLY=1: this workflow creates and deletes resources' : undefined);
const foreign = (t: Target) => writes(t) ?? (t.foreignPartner ? undefined : 'POLYTOMIC_FOREIGN_PARTNER_KEY is not set: no second partner to probe with');

/**
 * Every workflow the suite runs, most of them derived from the spec: a lifecycle per resource and
 * per way of reaching it, built-in instances, references, tenant isolation per nested resource,
 * replayed creates; then the few that test one rule of one operation (keys, versions, identity,
 * the owner organization). tests/conformance/2-workflows.spec.ts and the self-check both run this list.
 */
export function workflows(spec: Spec): Workflow[] {
  const resources = [...resourcesOf(spec).byKind.values()];
  const out: Workflow[] = [];
  for (const r of resources) {
    r.routes.forEach((set, i) => {
      const how = i === 0 ? '' : ` through ${set.create.id}`;
      out.push({ group: 'Lifecycles', title: `${r.kind} lifecycle${how}: create, read, list, duplicate, update, delete`, skip: writes, run: (env) => lifecycle(env, r, i) });
    });
    if (r.readonly) out.push({ group: 'Lifecycles', title: `a built-in ${r.kind} cannot be updated or deleted`, skip: writes, run: (env) => readonlyInstances(env, r) });
  }
  for (const kind of referredKinds(spec)) out.push({ group: 'References', title: `a ${kind} of another organization, or none, cannot be named`, skip: writes, run: (env) => foreignReferences(env, kind) });
  for (const kind of deletableReferences(spec)) out.push({ group: 'References', title: `references to a deleted ${kind}`, skip: writes, run: (env) => referenceAfterDelete(env, kind) });
  for (const r of nested(spec)) {
    out.push({ group: 'Tenant isolation', title: `a ${r.kind} of another ${r.within!.kind} is out of reach`, skip: writes, run: (env) => crossOrgAccess(env, r) });
    out.push({ group: 'Tenant isolation', title: `a ${r.kind} create never lands in another ${r.within!.kind}`, skip: writes, run: (env) => massAssignment(env, r) });
  }
  out.push(
    { group: 'Tenant isolation', title: "another partner cannot reach this partner's instances", skip: foreign, run: crossPartnerAccess },
    { group: 'Tenant isolation', title: "lists never hold another partner's instances", skip: foreign, run: listIsolation },
    {
      group: 'Tenant isolation',
      title: 'the owner organization is listed first and cannot be deleted',
      skip: (t) => (t.config.ownerOrgId ? undefined : 'POLYTOMIC_OWNER_ORG_ID is not set: the owner organization is unknown'),
      run: (env) => ownerOrganization(env, env.target.config.ownerOrgId!, env.target.config.ownerDeleteProbe),
    },
  );
  const remembered = rememberedHeaderName(spec) ?? 'idempotency key';
  for (const opId of replayableCreates(spec)) out.push({ group: 'Idempotency', title: `${opId} repeated with an ${remembered} replays the first outcome`, skip: writes, run: (env) => idempotentCreate(env, opId) });
  out.push(
    { group: 'Idempotency', title: `${remembered} scope, PUT, DELETE, concurrent duplicates and format`, skip: writes, run: idempotencyScopeAndMethods },
    { group: 'API keys', title: 'force=true revokes the old key', skip: writes, run: apiKeyRotation },
    { group: 'API versions', title: 'no header means the default version; every supported version is served and named', run: versionNegotiation },
    { group: 'Identity', title: 'GET /api/me names every kind of caller', run: identityNamesCaller },
  );
  return out;
}
