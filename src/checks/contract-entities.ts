import { followRefs, type Node } from '../model/spec/pointer';
import { documentedResponse, isSuccess } from './response-util';
import type { CheckContext, Exchange } from './types';

export interface EntityAt {
  name: string;
  value: unknown;
  pointer: string;
}

/** An envelope: an object schema whose one property, `data`, is an entity (`$ref`) or a list of them. */
interface Envelope {
  name: string;
  entity: string;
  many: boolean;
}

const envelopes = new WeakMap<object, Map<string, Envelope | null>>();

const componentName = (ref: unknown) => (typeof ref === 'string' ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined);

/** Reads the envelope shape from the spec (once per schema): no list of envelopes to keep in step with it. */
function envelopeAt(doc: Node, pointer: string): Envelope | undefined {
  const byPointer = envelopes.get(doc) ?? new Map<string, Envelope | null>();
  envelopes.set(doc, byPointer);
  if (!byPointer.has(pointer)) {
    const { node } = followRefs(doc, { $ref: pointer }, pointer);
    const props = node?.properties ?? {};
    const data = props.data;
    const direct = componentName(data?.$ref);
    const item = componentName(data?.items?.$ref);
    const name = componentName(pointer) ?? pointer;
    byPointer.set(pointer, Object.keys(props).length === 1 && (direct || item) ? { name, entity: (direct ?? item)!, many: !direct } : null);
  }
  return byPointer.get(pointer) ?? undefined;
}

/**
 * The entities (User, Organization, ...) a 2xx body carries, found through the envelope its
 * documented schema is. `hasData` is false when the body lacks the `data` member.
 */
export function entitiesOf(ex: Exchange, ctx: CheckContext): { envelope: string; hasData: boolean; entities: EntityAt[] } | undefined {
  if (!isSuccess(ex.response.status)) return;
  const doc = documentedResponse(ex);
  if (!doc?.schemaPointer) return;
  const env = envelopeAt(ctx.spec.doc, doc.schemaName ? `#/components/schemas/${doc.schemaName}` : doc.schemaPointer);
  if (!env) return;
  const body = ex.response.json;
  const hasData = !!body && typeof body === 'object' && !Array.isArray(body) && 'data' in body;
  if (!hasData) return { envelope: env.name, hasData, entities: [] };
  const data = (body as { data: unknown }).data;
  const entities: EntityAt[] = env.many
    ? (Array.isArray(data) ? data : []).map((value, i) => ({ name: env.entity, value, pointer: `/data/${i}` }))
    : [{ name: env.entity, value: data, pointer: '/data' }];
  return { envelope: env.name, hasData, entities };
}
