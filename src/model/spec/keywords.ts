import { escapeToken, followRefs, type Node } from './pointer';

/**
 * The JSON Schema keywords a value meets on its way through a schema, by document location
 * (`#/components/schemas/CreateUserRequestSchema/properties/email/format`): what input coverage
 * counts. A keyword is met where it applies to the value (string keywords on strings...); each
 * `required` entry is its own keyword (`.../required/email`). `anyOf`/`oneOf` branches are not
 * entered: the keyword itself is met.
 */
const ALWAYS = ['type', 'enum', 'const', 'not', 'anyOf', 'oneOf'];
const BY_TYPE: Record<string, string[]> = {
  string: ['format', 'minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['minItems', 'maxItems', 'uniqueItems'],
  object: ['minProperties', 'maxProperties', 'additionalProperties'],
};

const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v);

/** What a scalar meets depends only on its type: computed once per schema and type. */
const scalarCache = new WeakMap<Node, Map<string, string[]>>();

/** Keyword locations a value meets in the schema at `pointer`. */
export function keywordsMet(doc: Node, pointer: string, value: unknown): string[] {
  if (value === null || typeof value !== 'object') {
    const byKey = scalarCache.get(doc) ?? new Map<string, string[]>();
    scalarCache.set(doc, byKey);
    const key = `${pointer}|${typeOf(value)}`;
    if (!byKey.has(key)) byKey.set(key, walkMet(doc, pointer, value));
    return byKey.get(key)!;
  }
  return walkMet(doc, pointer, value);
}

function walkMet(doc: Node, pointer: string, value: unknown): string[] {
  const out: string[] = [];
  const walk = (raw: Node, at: string, v: unknown, depth: number) => {
    if (depth > 8) return;
    const { node, at: where } = followRefs(doc, raw, at);
    if (!node || typeof node !== 'object') return;
    const t = typeOf(v);
    for (const kw of [...ALWAYS, ...(BY_TYPE[t] ?? [])]) if (kw in node) out.push(`${where}/${kw}`);
    for (const sub of node.allOf ?? []) walk(sub, `${where}/allOf`, v, depth + 1);
    if (t === 'object' && v) {
      for (const r of (node.required ?? []) as string[]) out.push(`${where}/required/${escapeToken(r)}`);
      for (const [k, sub] of Object.entries<Node>(node.properties ?? {})) if (k in (v as object)) walk(sub, `${where}/properties/${escapeToken(k)}`, (v as Record<string, unknown>)[k], depth + 1);
    }
    if (t === 'array' && node.items) for (const item of v as unknown[]) walk(node.items, `${where}/items`, item, depth + 1);
  };
  walk({ $ref: pointer }, pointer, value, 0);
  return [...new Set(out)];
}

/** Every keyword location under a schema (the universe input coverage is counted against). */
export function keywordsOf(doc: Node, pointer: string): string[] {
  const out = new Set<string>();
  const walk = (raw: Node, at: string, depth: number, seen: Set<string>) => {
    if (depth > 8) return;
    const { node, at: where } = followRefs(doc, raw, at);
    if (!node || typeof node !== 'object' || seen.has(where)) return;
    const next = new Set(seen).add(where);
    for (const kw of [...ALWAYS, ...Object.values(BY_TYPE).flat()]) if (kw in node && !(kw === 'additionalProperties' && node[kw] === true)) out.add(`${where}/${kw}`);
    for (const r of (node.required ?? []) as string[]) out.add(`${where}/required/${escapeToken(r)}`);
    for (const sub of node.allOf ?? []) walk(sub, `${where}/allOf`, depth + 1, next);
    for (const [k, sub] of Object.entries<Node>(node.properties ?? {})) walk(sub, `${where}/properties/${escapeToken(k)}`, depth + 1, next);
    if (node.items) walk(node.items, `${where}/items`, depth + 1, next);
  };
  walk({ $ref: pointer }, pointer, 0, new Set());
  return [...out];
}
