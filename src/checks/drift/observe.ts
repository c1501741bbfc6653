import type { Operation } from '../../model/spec/load';
import { escapeToken, followRefs, type Node } from '../../model/spec/pointer';
import type { Exchange } from '../types';
import { documentedResponse } from '../response-util';

export type DriftKind = 'undocumented_status' | 'undeclared_field' | 'undeclared_header' | 'null_in_non_nullable' | 'enum_value_outside';

/** Something the server did that the spec does not say. */
export interface DriftItem {
  kind: DriftKind;
  operation: string;
  status: number;
  /** Instance location with array indexes as `[]` (`/data/[]/role`), or the header name. */
  pointer: string;
  /** Stable identity used by contracts/drift-baseline.yaml. */
  key: string;
  example: unknown;
  /** A JSON Patch against the spec that would document the behaviour. */
  patch: { op: 'add' | 'replace'; path: string; value: unknown };
  /** Would adopting the patch break generated clients? */
  breaking: boolean;
}

/** `users_get 200 undeclared_field /data/name`; without a pointer, `users_create 201 undocumented_status`. */
export function driftKey(operation: string, status: number | string, kind: DriftKind, pointer: string): string {
  return pointer ? `${operation} ${status} ${kind} ${pointer}` : `${operation} ${status} ${kind}`;
}

/** Tells headers a CDN, load balancer or rate limiter adds (never drift) from the API's own. */
export type HeaderFilter = (name: string) => boolean;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v === 'object' ? 'object' : typeof v;
}

interface Walk {
  doc: Node;
  op: Operation;
  status: number;
  out: DriftItem[];
}

/**
 * Drift is observed on every response, so what depends only on the schema is worked out once
 * per schema node: `$ref` resolution and each object's declared properties. Keys are the
 * document's own (stable) objects; a YAML alias puts one object at several pointers, hence `at`.
 */
const derefs = new WeakMap<object, { schema: Node; at: string }>();
const declarations = new WeakMap<object, Map<string, Map<string, { schema: Node; at: string }>>>();
const refNodes = new WeakMap<object, Map<string, { $ref: string }>>();

/** A stable `{ $ref }` node for a pointer, so lookups from it hit the caches. */
function refNode(doc: Node, pointer: string): { $ref: string } {
  const byPointer = refNodes.get(doc) ?? new Map<string, { $ref: string }>();
  refNodes.set(doc, byPointer);
  let node = byPointer.get(pointer);
  if (!node) {
    node = { $ref: pointer };
    byPointer.set(pointer, node);
  }
  return node;
}

/** Follows `$ref`s; returns the schema and the document pointer it lives at. */
function deref(doc: Node, schema: Node, at: string): { schema: Node; at: string } {
  if (!schema || typeof schema.$ref !== 'string') return { schema, at };
  const hit = derefs.get(schema);
  if (hit) return hit;
  const { node, at: where } = followRefs(doc, schema, at);
  const result = { schema: node, at: where };
  derefs.set(schema, result);
  return result;
}

/** Declared properties of an object schema, across allOf/anyOf/oneOf branches. */
function declared(doc: Node, schema: Node, at: string): Map<string, { schema: Node; at: string }> {
  const byAt = declarations.get(schema) ?? new Map<string, Map<string, { schema: Node; at: string }>>();
  declarations.set(schema, byAt);
  const cached = byAt.get(at);
  if (cached) return cached;
  const props = new Map<string, { schema: Node; at: string }>();
  const visit = (s: Node, p: string) => {
    const r = deref(doc, s, p);
    for (const [k, v] of Object.entries<Node>(r.schema?.properties ?? {})) props.set(k, { schema: v, at: `${r.at}/properties/${escapeToken(k)}` });
    for (const comb of ['allOf', 'anyOf', 'oneOf']) {
      for (const [i, b] of (r.schema?.[comb] ?? []).entries()) visit(b, `${r.at}/${comb}/${i}`);
    }
  };
  visit(schema, at);
  byAt.set(at, props);
  return props;
}

// Top level, not a closure in walk(): creating a closure per node cost a third of the walk.
function add(w: Walk, pointer: string, kind: DriftKind, example: unknown, patch: DriftItem['patch'], breaking: boolean): void {
  w.out.push({ kind, operation: w.op.id, status: w.status, pointer, key: driftKey(w.op.id, w.status, kind, pointer), example, patch, breaking });
}

function walk(w: Walk, schemaIn: Node, atIn: string, value: unknown, pointer: string): void {
  const { schema, at } = deref(w.doc, schemaIn, atIn);
  if (!schema || typeof schema !== 'object') return;
  const types: string[] | undefined = schema.type === undefined ? undefined : [].concat(schema.type);

  if (value === null) {
    if (types && !types.includes('null')) add(w, pointer, 'null_in_non_nullable', null, { op: 'replace', path: `${at}/type`, value: [...types, 'null'] }, true);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    add(w, pointer, 'enum_value_outside', value, { op: 'add', path: `${at}/enum/-`, value }, true);
  }
  if (Array.isArray(value)) {
    if (schema.items) for (const v of value) walk(w, schema.items, `${at}/items`, v, `${pointer}/[]`);
    return;
  }
  if (value && typeof value === 'object') {
    const props = declared(w.doc, schema, at);
    // An explicit map schema (`additionalProperties: {...}`) declares free-form keys.
    const freeForm = schema.additionalProperties && typeof schema.additionalProperties === 'object';
    for (const [k, v] of Object.entries(value)) {
      const p = props.get(k);
      if (p) walk(w, p.schema, p.at, v, `${pointer}/${escapeToken(k)}`);
      else if (!freeForm) {
        w.out.push({
          kind: 'undeclared_field',
          operation: w.op.id,
          status: w.status,
          pointer: `${pointer}/${escapeToken(k)}`,
          key: driftKey(w.op.id, w.status, 'undeclared_field', `${pointer}/${escapeToken(k)}`),
          example: v,
          patch: { op: 'add', path: `${at}/properties/${escapeToken(k)}`, value: { type: typeOf(v) } },
          // A new optional response field is additive for generated clients.
          breaking: false,
        });
      }
    }
  }
}

const memo = new WeakMap<Exchange, DriftItem[]>();

/** Everything this exchange shows that the spec does not say (computed once per exchange). */
export function observeDrift(ex: Exchange, doc: Node, infrastructure: HeaderFilter): DriftItem[] {
  let items = memo.get(ex);
  if (!items) {
    items = observe(ex, doc, infrastructure);
    memo.set(ex, items);
  }
  return items;
}

function observe(ex: Exchange, doc: Node, infrastructure: HeaderFilter): DriftItem[] {
  const op = ex.operation;
  if (!op) return [];
  const { status } = ex.response;
  const out: DriftItem[] = [];
  const res = documentedResponse(ex);
  if (!res) {
    out.push({
      kind: 'undocumented_status',
      operation: op.id,
      status,
      pointer: '',
      key: driftKey(op.id, status, 'undocumented_status', ''),
      example: ex.response.json ?? ex.response.text.slice(0, 200),
      patch: { op: 'add', path: `${op.pointer}/responses/${status}`, value: { description: `Observed ${status}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } } },
      // Generated clients throw an untyped error for an unknown status; documenting it only adds a type.
      breaking: false,
    });
    return out;
  }
  const declaredHeaders = new Set(res.headers.map((h) => h.name.toLowerCase()));
  for (const [name, value] of Object.entries(ex.response.headers)) {
    if (declaredHeaders.has(name) || infrastructure(name)) continue;
    out.push({
      kind: 'undeclared_header',
      operation: op.id,
      status,
      pointer: name,
      key: driftKey(op.id, status, 'undeclared_header', name),
      example: value,
      patch: { op: 'add', path: `${op.pointer}/responses/${status}/headers/${escapeToken(name)}`, value: { schema: { type: 'string' } } },
      breaking: false,
    });
  }
  if (res.schemaPointer && ex.response.json !== undefined) walk({ doc, op, status, out }, refNode(doc, res.schemaPointer), res.schemaPointer, ex.response.json, '');
  return out;
}

/** Schema-level field paths a response schema documents (`/data/[]/role_ids`), for coverage. */
export function documentedFields(doc: Node, schemaPointer: string, depth = 0, pointer = '', seen = new Set<string>()): string[] {
  if (depth > 6) return [];
  const { schema, at } = deref(doc, { $ref: schemaPointer }, schemaPointer);
  if (seen.has(at)) return [];
  const next = new Set(seen).add(at);
  const out: string[] = [];
  if (schema?.items) out.push(...documentedFields(doc, `${at}/items`, depth + 1, `${pointer}/[]`, next));
  for (const [k, p] of declared(doc, schema, at)) {
    out.push(`${pointer}/${escapeToken(k)}`);
    out.push(...documentedFields(doc, p.at, depth + 1, `${pointer}/${escapeToken(k)}`, next));
  }
  return out;
}

/** Field paths present in a response body, in the same notation. */
export function presentFields(value: unknown, pointer = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => presentFields(v, `${pointer}/[]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${pointer}/${escapeToken(k)}`, ...presentFields(v, `${pointer}/${escapeToken(k)}`)]);
  }
  return [];
}
