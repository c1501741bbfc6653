import { followRefs, type Node, resolvePointer } from './pointer';

/** `*` stands for every item of an array. */
export type FieldPath = readonly string[];

/** What the spec says about one field of a body or an entity, beyond its JSON Schema. */
export interface FieldMark {
  path: FieldPath;
  /** The field's schema, `$ref`s followed. */
  schema: Node;
  /** `x-resource`: the kind of resource whose instance (its id) the field names. */
  resource?: string;
  /** `x-from-resource`: the field of the instance the path names that this one must repeat. */
  fromResource?: string;
  /** `x-unknown-rejected-as`: the question giving the status of a reference to nothing the caller can use. */
  unknownRejectedAs?: string;
  /** `x-after-delete`: what the reference becomes once its instance is deleted. */
  afterDelete?: { invariant?: string; question?: string };
  /** `x-update-ignores`: the invariant saying an update does not change this field. */
  updateIgnores?: string;
  /** `x-other-answered-by`: the question answering what naming another instance than the one the request acts in does. */
  otherAnsweredBy?: string;
}

const cache = new WeakMap<object, Map<string, FieldMark[]>>();

/**
 * Every marked field under a schema (by document pointer), found by walking properties and
 * array items through `$ref`s. A mark on an array applies to the array; a mark on its items to
 * each item (`role_ids/*`).
 */
export function fieldMarks(doc: Node, pointer: string): FieldMark[] {
  let perDoc = cache.get(doc);
  if (!perDoc) {
    perDoc = new Map();
    cache.set(doc, perDoc);
  }
  let marks = perDoc.get(pointer);
  if (!marks) {
    marks = [];
    walk(doc, resolvePointer(doc, pointer), [], marks, 0);
    perDoc.set(pointer, marks);
  }
  return marks;
}

function walk(doc: Node, raw: Node, path: string[], out: FieldMark[], depth: number): void {
  if (depth > 8 || !raw || typeof raw !== 'object') return;
  const s = followRefs(doc, raw, '').node;
  if (!s || typeof s !== 'object') return;
  if (path.length) {
    const mark: FieldMark = { path, schema: s };
    if (s['x-resource']) mark.resource = s['x-resource'];
    if (s['x-from-resource']) mark.fromResource = s['x-from-resource'];
    if (s['x-unknown-rejected-as']) mark.unknownRejectedAs = s['x-unknown-rejected-as'];
    if (s['x-after-delete']) mark.afterDelete = s['x-after-delete'];
    if (s['x-update-ignores']) mark.updateIgnores = s['x-update-ignores'];
    if (s['x-other-answered-by']) mark.otherAnsweredBy = s['x-other-answered-by'];
    if (Object.keys(mark).length > 2) out.push(mark);
  }
  for (const [key, sub] of Object.entries<Node>(s.properties ?? {})) walk(doc, sub, [...path, key], out, depth + 1);
  if (s.items) walk(doc, s.items, [...path, '*'], out, depth + 1);
  for (const branch of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(doc, branch, path, out, depth + 1);
}

/** Every value at a path (`*` fanning out over arrays). */
export function valuesAt(value: unknown, path: FieldPath): unknown[] {
  if (!path.length) return [value];
  const [head, ...rest] = path;
  if (head === '*') return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, rest)) : [];
  if (!value || typeof value !== 'object' || Array.isArray(value) || !(head in value)) return [];
  return valuesAt((value as Record<string, unknown>)[head], rest);
}

/**
 * A copy of `value` with `fn` applied to every value at a path that is there (absent fields stay
 * absent); `fn` gets the value and its position among the path's values.
 */
export function mapAt(value: unknown, path: FieldPath, fn: (v: unknown, i: number) => unknown): unknown {
  let i = 0;
  const go = (v: unknown, p: FieldPath): unknown => {
    if (!p.length) return fn(v, i++);
    const [head, ...rest] = p;
    if (head === '*') return Array.isArray(v) ? v.map((x) => go(x, rest)) : v;
    if (!v || typeof v !== 'object' || Array.isArray(v) || !(head in v)) return v;
    return { ...(v as Record<string, unknown>), [head]: go((v as Record<string, unknown>)[head], rest) };
  };
  return go(value, path);
}

/**
 * The open question a schema keyword rests on (`x-assumptions: { <keyword>: <question> }`), when
 * no source states the constraint; for `required`, per property (`{ required: { <name>: <question> } }`).
 */
export function assumptionOf(schema: Node, keyword: string, property?: string): string | undefined {
  const a = schema?.['x-assumptions']?.[keyword];
  if (typeof a === 'string') return a;
  return a && typeof a === 'object' && property !== undefined ? a[property] : undefined;
}

/**
 * A body with only its schema's required fields; with `emptied`, required lists cut to their
 * minimum length (an update that keeps as little as it may).
 */
export function requiredOnly(doc: Node, schemaPointer: string, body: Record<string, unknown>, emptied = false): Record<string, unknown> {
  const schema = followRefs(doc, { $ref: schemaPointer }, '').node ?? {};
  const out: Record<string, unknown> = {};
  for (const key of (schema.required ?? []) as string[]) {
    if (!(key in body)) continue;
    const prop = followRefs(doc, schema.properties?.[key] ?? {}, '').node ?? {};
    const v = body[key];
    out[key] = emptied && Array.isArray(v) ? v.slice(0, prop.minItems ?? 0) : v;
  }
  return out;
}
