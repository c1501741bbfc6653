import { followRefs, type Node } from '../model/spec/pointer';

/**
 * How what was sent is compared with what a server answers later, without crying wolf over what
 * a server may legitimately do: order of list items, the case of strings (servers lower-case
 * emails and role names), their Unicode normal form and surrounding spaces, items it adds, and
 * the ways of saying "nothing" (absent, null, empty string, empty list).
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
  if (typeof sent === 'string' && typeof got === 'string') return normal(sent) === normal(got);
  return sent === got;
}

const normal = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** The same value both ways (what was seen is what is seen again). */
export const same = (a: unknown, b: unknown): boolean => contains(a, b) && contains(b, a);

/** A status that answers a question: a 2xx or a 4xx, not a failure (5xx) nor a "come back later" (429). */
export const isAnswer = (status: number): boolean => (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 429);
