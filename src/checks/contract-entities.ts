import type { Invariants } from '../model/contracts';
import { documentedResponse, isSuccess } from './response-util';
import type { Exchange } from './types';

export interface EntityAt {
  name: string;
  value: unknown;
  pointer: string;
}

/**
 * The entities (User, Organization, ...) a 2xx body carries, found through the envelope its
 * documented schema names in contracts/invariants.yaml. `envelope` is false when the body lacks
 * the `data` member the envelope requires.
 */
export function entitiesOf(ex: Exchange, inv: Invariants): { envelope: string; hasData: boolean; entities: EntityAt[] } | undefined {
  if (!isSuccess(ex.response.status)) return;
  const envelope = documentedResponse(ex)?.schemaName;
  const shape = envelope ? inv.envelopes[envelope] : undefined;
  if (!envelope || !shape) return;
  const body = ex.response.json;
  const hasData = !!body && typeof body === 'object' && !Array.isArray(body) && 'data' in body;
  if (!hasData) return { envelope, hasData, entities: [] };
  const data = (body as { data: unknown }).data;
  const many = shape.data.endsWith('[]');
  const name = many ? shape.data.slice(0, -2) : shape.data;
  const entities: EntityAt[] = many
    ? (Array.isArray(data) ? data : []).map((value, i) => ({ name, value, pointer: `/data/${i}` }))
    : [{ name, value: data, pointer: '/data' }];
  return { envelope, hasData, entities };
}
