import { followRefs, type Node } from '../../model/spec/pointer';

/**
 * How workflows compare what they sent with what a server answers later, without crying wolf
 * over what a server may legitimately do: order of list items, the case of strings (servers
 * lower-case emails and role names), items it adds, and the ways of saying "nothing" (absent,
 * null, empty string, empty list).
 */

/** Absent, null, '' or [] (or a list of items that carry nothing beyond their required fields). */
export function isEmpty(value: unknown, schema?: Node, doc?: Node): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (!Array.isArray(value)) return false;
  const items = schema?.items && doc ? followRefs(doc, schema.items, '').node : undefined;
  const required: string[] = items?.required ?? [];
  return value.every((item) => item && typeof item === 'object' && Object.entries(item).every(([k, v]) => required.includes(k) || isEmpty(v)));
}

/** Does `got` hold everything `sent` says: every key, every list item (in any order), strings without regard to case? */
export function contains(sent: unknown, got: unknown): boolean {
  if (isEmpty(sent)) return isEmpty(got);
  if (Array.isArray(sent)) return Array.isArray(got) && sent.every((s) => got.some((g) => contains(s, g)));
  if (sent && typeof sent === 'object') {
    return !!got && typeof got === 'object' && !Array.isArray(got) && Object.entries(sent).every(([k, v]) => contains(v, (got as Record<string, unknown>)[k]));
  }
  if (typeof sent === 'string' && typeof got === 'string') return sent.toLowerCase() === got.toLowerCase();
  return sent === got;
}
