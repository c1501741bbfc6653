import type { Operation } from '../../model/spec/load';
import type { PatchOperation } from '../../model/spec/patch';
import { escapeToken, followRefs, type Node } from '../../model/spec/pointer';
import type { Validators } from '../../model/validators';
import type { Exchange } from '../types';
import { documentedResponse } from '../response-util';
import { inferSchema } from './infer';

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
  /**
   * An RFC 6902 JSON Patch against the spec as written (RFC 6901 paths, a `$ref`'d response or
   * schema patched where it is defined) that documents the behaviour and nothing else.
   */
  patch: PatchOperation[];
  /** Would adopting the patch break generated clients? */
  breaking: boolean;
}

/** What drift is judged against: the document, and where it has them, its validators (to name a matching component). */
export interface DriftSpec {
  doc: Node;
  validators?: Validators;
}

/** An internal `#/...` pointer as RFC 6901 wants it in a patch. */
const p6901 = (pointer: string) => pointer.replace(/^#/, '');

/** `<operation id> 200 undeclared_field /data/name`; without a pointer, `<operation id> 201 undocumented_status`. */
export function driftKey(operation: string, status: number | string, kind: DriftKind, pointer: string): string {
  return pointer ? `${operation} ${status} ${kind} ${pointer}` : `${operation} ${status} ${kind}`;
}

/** Tells headers a CDN, load balancer or rate limiter adds (never drift) from the API's own. */
export type HeaderFilter = (name: string) => boolean;

interface Walk {
  spec: DriftSpec;
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
function add(w: Walk, pointer: string, kind: DriftKind, example: unknown, patch: PatchOperation[], breaking: boolean): void {
  w.out.push({ kind, operation: w.op.id, status: w.status, pointer, key: driftKey(w.op.id, w.status, kind, pointer), example, patch, breaking });
}

function walk(w: Walk, schemaIn: Node, atIn: string, value: unknown, pointer: string): void {
  const { schema, at } = deref(w.doc, schemaIn, atIn);
  if (!schema || typeof schema !== 'object') return;
  const types: string[] | undefined = schema.type === undefined ? undefined : [].concat(schema.type);

  if (value === null) {
    if (types && !types.includes('null')) {
      // An enum that lists the values allowed must list null too.
      const enumToo = Array.isArray(schema.enum) && !schema.enum.includes(null) ? [{ op: 'add' as const, path: `${p6901(at)}/enum/-`, value: null }] : [];
      add(w, pointer, 'null_in_non_nullable', null, [{ op: 'replace', path: `${p6901(at)}/type`, value: [...types, 'null'] }, ...enumToo], true);
    }
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    add(w, pointer, 'enum_value_outside', value, [{ op: 'add', path: `${p6901(at)}/enum/-`, value }], true);
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
          // Where the schema declares its properties (a first one makes the map); the value's schema a component's, or inferred.
          patch: [schema.properties ? { op: 'add', path: `${p6901(at)}/properties/${escapeToken(k)}`, value: schemaFor(w.spec, v) } : { op: 'add', path: `${p6901(at)}/properties`, value: { [k]: schemaFor(w.spec, v) } }],
          // A new optional response field is additive for generated clients.
          breaking: false,
        });
      }
    }
  }
}

const memo = new WeakMap<Exchange, DriftItem[]>();

/** Everything this exchange shows that the spec does not say (computed once per exchange). */
export function observeDrift(ex: Exchange, spec: DriftSpec, infrastructure: HeaderFilter): DriftItem[] {
  let items = memo.get(ex);
  if (!items) {
    items = observe(ex, spec, infrastructure);
    memo.set(ex, items);
  }
  return items;
}

function observe(ex: Exchange, spec: DriftSpec, infrastructure: HeaderFilter): DriftItem[] {
  const { doc } = spec;
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
      patch: [{ op: 'add', path: `${p6901(op.pointer)}/responses/${status}`, value: responseFor(spec, ex, infrastructure) }],
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
      // Added to the response where it is written, beside the headers it declares.
      patch: [res.declaresHeaders ? { op: 'add', path: `${p6901(res.pointer)}/headers/${escapeToken(name)}`, value: headerFor(doc, op, name) } : { op: 'add', path: `${p6901(res.pointer)}/headers`, value: { [name]: headerFor(doc, op, name) } }],
      breaking: false,
    });
  }
  if (res.schemaPointer && ex.response.json !== undefined) walk({ spec, doc, op, status, out }, refNode(doc, res.schemaPointer), res.schemaPointer, ex.response.json, '');
  return out;
}

/** Does `value` validate against the schema at `pointer` with every field it carries declared (no new drift)? */
function fits(spec: DriftSpec, pointer: string, value: unknown): boolean {
  if (!spec.validators?.at(pointer)(value)) return false;
  const w: Walk = { spec, doc: spec.doc, op: { id: '' } as Operation, status: 0, out: [] };
  walk(w, refNode(spec.doc, pointer), pointer, value, '');
  return w.out.length === 0;
}

/** A component schema an object is wholly an instance of, as a `$ref`; else a schema inferred from it. */
function schemaFor(spec: DriftSpec, value: unknown): Node {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const name of Object.keys(spec.doc.components?.schemas ?? {})) {
      const pointer = `#/components/schemas/${escapeToken(name)}`;
      if (fits(spec, pointer, value)) return { $ref: pointer };
    }
  }
  return inferSchema(value);
}

/** A declared header of the operation's other responses by that name, else a string. */
function headerFor(doc: Node, op: Operation, name: string): Node {
  let node: Node;
  try {
    node = followRefs(doc, { $ref: op.pointer }, op.pointer).node;
  } catch {
    // An operation the document does not hold where it says (a test's own): nothing to copy.
    node = undefined;
  }
  for (const raw of Object.values<Node>(node?.responses ?? {})) {
    const { node: res } = followRefs(doc, raw, '');
    const hit = Object.entries<Node>(res?.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (hit) return JSON.parse(JSON.stringify(followRefs(doc, hit[1], '').node));
  }
  return { schema: { type: 'string' } };
}

/**
 * How to document a status the spec lacks, from what it answered: a component response whose body
 * it is (validating, every field declared) and whose headers it sends, as a `$ref`; else a response
 * of its own, its body a component schema or inferred, its headers as the operation declares them.
 */
function responseFor(spec: DriftSpec, ex: Exchange, infrastructure: HeaderFilter): Node {
  const { doc } = spec;
  const sent = Object.keys(ex.response.headers).filter((h) => !infrastructure(h));
  const body = ex.response.json;
  for (const [name, raw] of Object.entries<Node>(doc.components?.responses ?? {})) {
    const at = `#/components/responses/${escapeToken(name)}`;
    const { node, at: where } = followRefs(doc, raw, at);
    const declared = new Set(Object.keys(node?.headers ?? {}).map((h) => h.toLowerCase()));
    if (!sent.every((h) => declared.has(h))) continue;
    const schema = node?.content?.['application/json']?.schema;
    if (body === undefined ? !node?.content : schema && fits(spec, `${where}/content/application~1json/schema`, body)) return { $ref: at };
  }
  const headers = Object.fromEntries(sent.map((h) => [h, headerFor(doc, ex.operation!, h)]));
  const type = (ex.response.headers['content-type'] ?? 'application/json').split(';')[0].trim();
  const content = body !== undefined ? { 'application/json': { schema: schemaFor(spec, body) } } : ex.response.text ? { [type]: { schema: { type: 'string' } } } : undefined;
  return { description: `Observed ${ex.response.status}`, ...(sent.length ? { headers } : {}), ...(content ? { content } : {}) };
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
