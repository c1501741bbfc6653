import { followRefs, type Node } from '../spec/pointer';

export type Schema = Record<string, Node>;

export interface GenOptions {
  /** Longest string generated when the schema sets no smaller maxLength (keeps requests small). */
  maxStringLength?: number;
  /** Most array items generated when the schema sets no smaller maxItems. */
  maxItems?: number;
  /** How many `$ref`s deep generation follows before taking the smallest valid value. */
  maxDepth?: number;
}

export const DEFAULTS: Required<GenOptions> = { maxStringLength: 24, maxItems: 4, maxDepth: 6 };

/**
 * Resolves `$ref`s (local pointers) and folds `allOf` into one schema, so generators see plain
 * keywords. Sibling keywords of a `$ref` (2020-12 allows them) are kept.
 */
export function resolve(doc: Node, schema: Schema | boolean | undefined): Schema {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  let s: Schema = followRefs(doc, schema, '').node;
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    s = allOf.map((b: Schema) => resolve(doc, b)).reduce(mergeSchemas, rest);
  }
  return s;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (a.properties || b.properties) out.properties = { ...a.properties, ...b.properties };
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  if (a.type && b.type) {
    const bt: string[] = [].concat(b.type);
    out.type = ([] as string[]).concat(a.type).filter((t) => bt.includes(t) || (t === 'number' && bt.includes('integer')));
  }
  return out;
}

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** The JSON types a schema allows, inferred from keywords when `type` is absent. */
export function typesOf(s: Schema): JsonType[] | undefined {
  if (s.type !== undefined) return [].concat(s.type);
  if (s.properties || s.required || s.additionalProperties !== undefined) return ['object'];
  if (s.items) return ['array'];
  if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern || s.format) return ['string'];
  return undefined;
}


/** `not: { required: [a, b] }`: the keys that must not all appear together. */
export function forbiddenTogether(s: Schema): string[] | undefined {
  const req = s.not?.required;
  return Array.isArray(req) && Object.keys(s.not).length === 1 ? req : undefined;
}
