import type { Node } from '../../model/spec/pointer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The schema a value observed in an answer is an instance of, as narrow as it shows: its type,
 * a string's format where it plainly is one (uuid, date-time), an object's properties, an array's
 * items (those of all its elements).
 */
export function inferSchema(value: unknown): Node {
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) {
    if (!value.length) return { type: 'array' };
    const items = value.map(inferSchema);
    const same = items.every((i) => JSON.stringify(i) === JSON.stringify(items[0]));
    return { type: 'array', items: same ? items[0] : { anyOf: [...new Map(items.map((i) => [JSON.stringify(i), i])).values()] } };
  }
  if (typeof value === 'object') return { type: 'object', properties: Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, inferSchema(v)])) };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  if (typeof value === 'string') return UUID.test(value) ? { type: 'string', format: 'uuid' } : DATE_TIME.test(value) ? { type: 'string', format: 'date-time' } : { type: 'string' };
  return { type: typeof value };
}
