import { randomUUID } from 'node:crypto';
import type { Spec } from '../src/model/spec/load';
import { resourcesOf } from '../src/model/spec/resources';
import type { Behaviour } from './behaviour';
import type { Handler } from './handlers';
import type { Org, Store } from './store';
import { type Json, MockError, must, partnerLevel } from './types';

/**
 * What a resource family the mock has no rules of its own for does beyond create, read, list,
 * update and delete in its container: a create it refuses (a limit per container, a field it reads
 * more strictly than the spec), and a bug to prove a check catches (a deleted instance still read).
 */
export interface ResourceRules {
  beforeCreate?(body: Json, inContainer: number): MockError | undefined;
  deletedStillReadable?: boolean;
}

/**
 * A handler for every operation of a resource the spec declares in `x-resources` and the mock has
 * no handler for: the resource's routes say what each does, its `within` where an instance lives
 * (the container a path names, the one a scoped credential acts in, or the one a body field
 * names), and a container's deletion takes its instances with it.
 */
export function genericHandlers(spec: Spec, store: Store, b: Behaviour, rules: Record<string, ResourceRules> = {}, notFoundStatus = 404): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [opId, { resource, role }] of resourcesOf(spec).routeOf) {
    const kind = resource.kind;
    const rule = rules[kind] ?? {};
    const instances = () => {
      const m = store.generic.get(kind) ?? new Map();
      store.generic.set(kind, m);
      return m;
    };
    const op = spec.byId.get(opId)!;
    const within = resource.within;
    const containerParam = within ? op.params.find((p) => p.in === 'path' && p.resource === within.kind) : undefined;
    /** The organization a request acts in, and whether it must: from the path, the credential, or (a create) the body. */
    const containerOf = (c: Parameters<Handler>[0]): Org | undefined => {
      if (!within) return undefined;
      if (containerParam) return must(b.partnerOrg(c.principal, c.params[containerParam.name]));
      if (!partnerLevel(c.principal)) return store.orgs.get(c.principal.orgId);
      const named = c.body?.[within.field];
      if (role === 'create') {
        if (typeof named !== 'string') throw new MockError(422, 'invalid', `${within.field} names the ${within.kind} to create in`);
        return must(b.partnerOrg(c.principal, named));
      }
      return undefined;
    };
    const visible = (c: Parameters<Handler>[0], x: { orgId?: string }) => {
      if (x.orgId && !store.orgs.has(x.orgId)) return false;
      const org = containerOf(c);
      if (org) return x.orgId === org.id;
      // A partner's key without a container: every organization of the partner.
      return partnerLevel(c.principal) ? !x.orgId || store.orgs.get(x.orgId)?.partnerId === c.principal.partnerId : true;
    };
    const find = (c: Parameters<Handler>[0], reading: boolean) => {
      containerOf(c);
      const x = instances().get(c.params[op.params.filter((p) => p.in === 'path').at(-1)!.name]);
      if (!x || !visible(c, x) || (x.deleted && !(reading && rule.deletedStillReadable))) throw new MockError(notFoundStatus, 'not_found', `${kind} not found`);
      return x;
    };
    out[opId] = (c) => {
      switch (role) {
        case 'list':
          // The container is looked up first: one that is not there is not found, however many instances there are.
          containerOf(c);
          return { status: 200, body: { data: [...instances().values()].filter((x) => !x.deleted && visible(c, x)).map((x) => x.data) } };
        case 'create': {
          const org = containerOf(c);
          const count = [...instances().values()].filter((x) => !x.deleted && x.orgId === org?.id && (!x.orgId || store.orgs.has(x.orgId))).length;
          const refused = rule.beforeCreate?.(c.body, count);
          if (refused) throw refused;
          const data = { ...c.body, id: randomUUID(), ...(within && org ? { [within.field]: org.id } : {}) };
          instances().set(data.id as string, { data, orgId: org?.id, deleted: false });
          return { status: b.createdStatus(op), body: { data } };
        }
        case 'read':
          return { status: 200, body: { data: find(c, true).data } };
        case 'update': {
          const x = find(c, false);
          x.data = { ...c.body, id: x.data.id, ...(within ? { [within.field]: x.data[within.field] } : {}) };
          return { status: 200, body: { data: x.data } };
        }
        case 'delete': {
          const x = find(c, false);
          x.deleted = true;
          return { status: 200, body: { data: x.data } };
        }
      }
    };
  }
  return out;
}
