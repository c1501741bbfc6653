import { isDeepStrictEqual } from 'node:util';
import type { Spec } from './load';
import { escapeToken, followRefs, type Node } from './pointer';

/**
 * What changed between two OpenAPI documents, judged from a client's side: a request (client to
 * server) may accept more, never less; a response (server to client) may carry less, never more.
 * So a constraint narrowed breaks clients in a request and not in a response, and widened the
 * other way round; one changed outright (a format swapped) breaks both. Every change is reported,
 * breaking or not, once, with every operation it reaches (a shared component's change names each).
 */

export type Side = 'request' | 'response';
type Direction = 'narrowed' | 'widened' | 'changed';

/** The JSON Schema keywords whose change is judged by direction. */
export const KEYWORDS = [
  'type',
  'nullable',
  'format',
  'pattern',
  'enum',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'additionalProperties',
  'required',
] as const;
type Keyword = (typeof KEYWORDS)[number];

interface Rule {
  breaking: boolean;
  why: string;
}

const STATIC = {
  operation_removed: { breaking: true, why: 'clients calling it get 404' },
  operation_added: { breaking: false, why: 'additive' },
  method_changed: { breaking: true, why: 'clients send the old method (e.g. PATCH) and get 405' },
  path_parameter_renamed: { breaking: false, why: 'every URL a client sends is the same' },
  security_scheme_removed: { breaking: true, why: 'credentials clients send may be refused' },
  security_scheme_added: { breaking: false, why: 'one more way to authenticate' },
  parameter_added_required: { breaking: true, why: 'clients do not send it' },
  parameter_added_optional: { breaking: false, why: 'additive' },
  parameter_became_required: { breaking: true, why: 'clients may omit it' },
  parameter_became_optional: { breaking: false, why: 'clients that send it still may' },
  parameter_removed: { breaking: false, why: 'servers ignore what they do not read' },
  parameter_location_changed: { breaking: true, why: 'clients send it where it is no longer read' },
  request_body_added_required: { breaking: true, why: 'clients send no body' },
  request_body_added_optional: { breaking: false, why: 'additive' },
  request_body_became_required: { breaking: true, why: 'clients may send no body' },
  request_body_became_optional: { breaking: false, why: 'clients that send one still may' },
  request_body_removed: { breaking: false, why: 'a server ignores a body it no longer reads' },
  request_content_type_removed: { breaking: true, why: 'clients send a content type no longer accepted' },
  request_content_type_added: { breaking: false, why: 'one more accepted' },
  response_content_type_removed: { breaking: true, why: 'clients expect a body of a type no longer sent (JSON becoming XML)' },
  response_content_type_added: { breaking: false, why: 'clients asking for the old one still get it' },
  response_status_removed: { breaking: true, why: 'clients handling it (typed errors) lose it' },
  response_status_added: { breaking: false, why: 'documents what clients may already receive' },
  response_header_removed: { breaking: true, why: 'clients reading it get nothing' },
  response_header_added: { breaking: false, why: 'additive' },
  request_property_added: { breaking: false, why: 'optional and additive' },
  request_property_removed: { breaking: false, why: 'a server ignores a field it no longer reads' },
  request_property_removed_closed: { breaking: true, why: 'the object is closed (additionalProperties: false): clients still sending the field are refused' },
  response_property_added: { breaking: false, why: 'additive for generated clients' },
  response_property_removed: { breaking: true, why: 'clients reading it get undefined' },
  composition_changed: { breaking: true, why: 'the alternatives a value may take changed' },
  schema_ref_changed: { breaking: false, why: 'the schema is the same; only where it is written changed' },
  annotation_changed: { breaking: false, why: 'descriptions, titles and examples change no message' },
} as const satisfies Record<string, Rule>;

const WHY: Record<Side, Record<Direction, string>> = {
  request: { narrowed: 'a value clients send may now be refused', widened: 'more is accepted than before', changed: 'what clients send no longer validates' },
  response: { narrowed: 'clients receive a subset of what they handled', widened: 'clients may receive values they do not expect', changed: 'clients read the old shape' },
};

/** Whether a change to `keyword` in this direction breaks clients. */
function keywordBreaking(side: Side, keyword: Keyword, direction: Direction): boolean {
  if (direction === 'changed') return true;
  // More fields than declared in an answer is additive for generated clients, as one more property is.
  if (side === 'response' && keyword === 'additionalProperties') return false;
  return side === 'request' ? direction === 'narrowed' : direction === 'widened';
}

type KeywordRule = `${Side}_${Keyword}_${Direction}`;
export type RuleId = keyof typeof STATIC | KeywordRule;

/** Every rule the classifier applies, with whether such a change breaks existing clients and why. */
export const RULES: Record<RuleId, Rule> = Object.assign(
  {},
  STATIC,
  Object.fromEntries(
    (['request', 'response'] as const).flatMap((side) =>
      KEYWORDS.flatMap((k) => (['narrowed', 'widened', 'changed'] as const).map((d) => [`${side}_${k}_${d}`, { breaking: keywordBreaking(side, k, d), why: WHY[side][d] }])),
    ),
  ),
) as Record<RuleId, Rule>;

export interface Change {
  rule: RuleId;
  breaking: boolean;
  /** Every operation the change reaches (`GET /api/... (id)`). */
  operations: string[];
  /** Where it is in the new document (the old one for what was removed), an RFC 6901 pointer. */
  pointer: string;
  message: string;
  old?: unknown;
  new?: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ANNOTATIONS = ['description', 'summary', 'title', 'example', 'examples', 'deprecated', 'externalDocs'];

interface RawOperation {
  id: string;
  method: string;
  path: string;
  /** The path with its parameters unnamed: two paths a client sends the same URLs to share it. */
  shape: string;
  pointer: string;
  node: Node;
  pathItem: Node;
}

function operationsOf(doc: Node): RawOperation[] {
  const out: RawOperation[] = [];
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const node = item?.[method];
      if (!node) continue;
      out.push({ id: node.operationId ?? `${method} ${path}`, method, path, shape: path.replace(/\{[^}]+\}/g, '{}'), pointer: `/paths/${escapeToken(path)}/${method}`, node, pathItem: item });
    }
  }
  return out;
}

/** Follows `$ref`s from a node; returns it and the RFC 6901 pointer where it is written. */
function resolved(doc: Node, node: Node, at: string): { node: Node; at: string } {
  if (!node || typeof node.$ref !== 'string') return { node, at };
  const r = followRefs(doc, node, `#${at}`);
  return { node: r.node, at: r.at.replace(/^#/, '') };
}

const label = (o: RawOperation) => `${o.method.toUpperCase()} ${o.path} (${o.id})`;

class Differ {
  private readonly found = new Map<string, Change>();
  private op = '';

  constructor(
    private readonly a: Node,
    private readonly b: Node,
  ) {}

  private add(rule: RuleId, pointer: string, message: string, old?: unknown, now?: unknown): void {
    const key = `${rule}|${pointer}|${message}`;
    const hit = this.found.get(key);
    if (hit) {
      if (!hit.operations.includes(this.op)) hit.operations.push(this.op);
      return;
    }
    this.found.set(key, { rule, breaking: RULES[rule].breaking, operations: [this.op], pointer, message, ...(old !== undefined ? { old } : {}), ...(now !== undefined ? { new: now } : {}) });
  }

  run(): Change[] {
    const before = operationsOf(this.a);
    const after = operationsOf(this.b);
    const key = (o: RawOperation) => `${o.method} ${o.shape}`;
    const afterByKey = new Map(after.map((o) => [key(o), o]));
    const beforeKeys = new Set(before.map(key));
    const paired = new Set<RawOperation>();
    for (const old of before) {
      this.op = label(old);
      let now = afterByKey.get(key(old));
      if (!now) {
        // Same URLs and operation, another method: a method change, not a removal and an addition.
        now = after.find((o) => o.shape === old.shape && !paired.has(o) && !beforeKeys.has(key(o)) && (o.id === old.id || (old.method === 'patch' && o.method === 'put')));
        if (!now) {
          this.add('operation_removed', old.pointer, `${old.method.toUpperCase()} ${old.path} was removed`);
          continue;
        }
        this.add('method_changed', now.pointer, `${old.method.toUpperCase()} ${old.path} became ${now.method.toUpperCase()}`, old.method.toUpperCase(), now.method.toUpperCase());
      }
      paired.add(now);
      this.op = label(now);
      this.operation(old, now);
    }
    for (const now of after) {
      if (paired.has(now)) continue;
      this.op = label(now);
      this.add('operation_added', now.pointer, `${now.method.toUpperCase()} ${now.path} was added`);
    }
    return [...this.found.values()].map((c) => ({ ...c, operations: c.operations.sort() }));
  }

  private operation(old: RawOperation, now: RawOperation): void {
    this.annotations(old.node, now.node, now.pointer);
    this.security(old, now);
    this.parameters(old, now);
    this.requestBody(old, now);
    this.responses(old, now);
  }

  private annotations(a: Node, b: Node, at: string): void {
    for (const k of ANNOTATIONS) {
      if (a?.[k] !== undefined || b?.[k] !== undefined) {
        if (!isDeepStrictEqual(a?.[k], b?.[k])) this.add('annotation_changed', `${at}/${k}`, `${k} changed`);
      }
    }
  }

  /** Each way to authenticate (a set of schemes), by what the schemes are, not their names. */
  private security(old: RawOperation, now: RawOperation): void {
    const ways = (doc: Node, o: RawOperation) => {
      const raw: Node[] = o.node.security ?? doc.security ?? [];
      const defs = doc.components?.securitySchemes ?? {};
      const what = (name: string) => {
        const d = defs[name] ?? {};
        return [d.type, d.scheme, d.in, d.name, d['x-credential']?.kind].filter(Boolean).join(':') || name;
      };
      return new Set(raw.map((req) => Object.keys(req).map(what).sort().join(' + ') || 'none'));
    };
    const a = ways(this.a, old);
    const b = ways(this.b, now);
    for (const w of a) if (!b.has(w)) this.add('security_scheme_removed', `${now.pointer}/security`, `credentials ${w} are no longer accepted`, w);
    for (const w of b) if (!a.has(w)) this.add('security_scheme_added', `${now.pointer}/security`, `credentials ${w} are accepted`, undefined, w);
  }

  private params(doc: Node, o: RawOperation): { node: Node; at: string }[] {
    const list = [...(o.pathItem.parameters ?? []).map((p: Node, i: number) => ({ p, at: `/paths/${escapeToken(o.path)}/parameters/${i}` })), ...(o.node.parameters ?? []).map((p: Node, i: number) => ({ p, at: `${o.pointer}/parameters/${i}` }))];
    const byKey = new Map<string, { node: Node; at: string }>();
    // An operation's parameter overrides the path item's of the same name and location.
    for (const { p, at } of list) {
      const r = resolved(doc, p, at);
      byKey.set(`${r.node.in}:${String(r.node.name).toLowerCase()}`, r);
    }
    return [...byKey.values()];
  }

  private parameters(old: RawOperation, now: RawOperation): void {
    const a = this.params(this.a, old);
    const b = this.params(this.b, now);
    // Path parameters pair by position: a renamed one is the same part of the same URL.
    const pathNames = (o: RawOperation) => [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const oldPath = pathNames(old);
    const newPath = pathNames(now);
    const partner = (p: Node): { node: Node; at: string } | undefined => {
      if (p.in === 'path') {
        const i = oldPath.indexOf(p.name);
        return i >= 0 ? b.find((x) => x.node.in === 'path' && x.node.name === newPath[i]) : undefined;
      }
      return b.find((x) => x.node.in === p.in && String(x.node.name).toLowerCase() === String(p.name).toLowerCase());
    };
    const matched = new Set<{ node: Node; at: string }>();
    for (const { node: p, at } of a) {
      const n = partner(p);
      if (!n) {
        const moved = b.find((x) => String(x.node.name).toLowerCase() === String(p.name).toLowerCase() && x.node.in !== p.in);
        if (moved) {
          matched.add(moved);
          this.add('parameter_location_changed', moved.at, `${p.in} parameter ${p.name} moved to the ${moved.node.in}`, p.in, moved.node.in);
        } else this.add('parameter_removed', at, `${p.in} parameter ${p.name} was removed`);
        continue;
      }
      matched.add(n);
      if (p.in === 'path' && p.name !== n.node.name) this.add('path_parameter_renamed', n.at, `path parameter {${p.name}} is now {${n.node.name}}`, p.name, n.node.name);
      if (n.node.required && !p.required) this.add('parameter_became_required', n.at, `${p.in} parameter ${n.node.name} became required`);
      if (!n.node.required && p.required) this.add('parameter_became_optional', n.at, `${p.in} parameter ${n.node.name} became optional`);
      this.annotations(p, n.node, n.at);
      this.schema('request', p.schema, `${at}/schema`, n.node.schema, `${n.at}/schema`, new Set());
    }
    for (const n of b) {
      if (matched.has(n)) continue;
      this.add(n.node.required ? 'parameter_added_required' : 'parameter_added_optional', n.at, `${n.node.in} parameter ${n.node.name} was added${n.node.required ? ' as required' : ''}`);
    }
  }

  private requestBody(old: RawOperation, now: RawOperation): void {
    const a = old.node.requestBody && resolved(this.a, old.node.requestBody, `${old.pointer}/requestBody`);
    const b = now.node.requestBody && resolved(this.b, now.node.requestBody, `${now.pointer}/requestBody`);
    if (!a && !b) return;
    if (!a) {
      this.add(b!.node.required ? 'request_body_added_required' : 'request_body_added_optional', b!.at, `a request body was added${b!.node.required ? ' as required' : ''}`);
      return;
    }
    if (!b) {
      this.add('request_body_removed', a.at, 'the request body was removed');
      return;
    }
    if (b.node.required && !a.node.required) this.add('request_body_became_required', b.at, 'the request body became required');
    if (!b.node.required && a.node.required) this.add('request_body_became_optional', b.at, 'the request body became optional');
    this.annotations(a.node, b.node, b.at);
    this.content('request', a, b);
  }

  private content(side: Side, a: { node: Node; at: string }, b: { node: Node; at: string }): void {
    const ca: Node = a.node.content ?? {};
    const cb: Node = b.node.content ?? {};
    for (const type of Object.keys(ca)) {
      const at = `${b.at}/content/${escapeToken(type)}`;
      if (!(type in cb)) this.add(side === 'request' ? 'request_content_type_removed' : 'response_content_type_removed', `${a.at}/content/${escapeToken(type)}`, `content type ${type} was removed${Object.keys(cb).length ? ` (now ${Object.keys(cb).join(', ')})` : ''}`, type, Object.keys(cb));
      else this.schema(side, ca[type]?.schema, `${a.at}/content/${escapeToken(type)}/schema`, cb[type]?.schema, `${at}/schema`, new Set());
    }
    for (const type of Object.keys(cb)) if (!(type in ca)) this.add(side === 'request' ? 'request_content_type_added' : 'response_content_type_added', `${b.at}/content/${escapeToken(type)}`, `content type ${type} was added`, undefined, type);
  }

  private responses(old: RawOperation, now: RawOperation): void {
    const ra: Node = old.node.responses ?? {};
    const rb: Node = now.node.responses ?? {};
    for (const status of Object.keys(ra)) {
      if (!(status in rb)) {
        this.add('response_status_removed', `${old.pointer}/responses/${status}`, `response ${status} is no longer documented`);
        continue;
      }
      const a = resolved(this.a, ra[status], `${old.pointer}/responses/${status}`);
      const b = resolved(this.b, rb[status], `${now.pointer}/responses/${status}`);
      if (typeof ra[status]?.$ref === 'string' || typeof rb[status]?.$ref === 'string') {
        if (ra[status]?.$ref !== rb[status]?.$ref) this.add('schema_ref_changed', `${now.pointer}/responses/${status}`, `response ${status} is written at ${b.at} (was ${a.at})`, a.at, b.at);
      }
      this.annotations(a.node, b.node, b.at);
      this.headers(a, b);
      this.content('response', a, b);
    }
    for (const status of Object.keys(rb)) if (!(status in ra)) this.add('response_status_added', `${now.pointer}/responses/${status}`, `response ${status} was added`);
  }

  private headers(a: { node: Node; at: string }, b: { node: Node; at: string }): void {
    const ha = new Map(Object.entries<Node>(a.node.headers ?? {}).map(([k, v]) => [k.toLowerCase(), { k, v }]));
    const hb = new Map(Object.entries<Node>(b.node.headers ?? {}).map(([k, v]) => [k.toLowerCase(), { k, v }]));
    for (const [name, { k, v }] of ha) {
      const n = hb.get(name);
      if (!n) this.add('response_header_removed', `${a.at}/headers/${escapeToken(k)}`, `header ${k} was removed`);
      else {
        const ra = resolved(this.a, v, `${a.at}/headers/${escapeToken(k)}`);
        const rb = resolved(this.b, n.v, `${b.at}/headers/${escapeToken(n.k)}`);
        this.schema('response', ra.node.schema, `${ra.at}/schema`, rb.node.schema, `${rb.at}/schema`, new Set());
      }
    }
    for (const [name, { k }] of hb) if (!ha.has(name)) this.add('response_header_added', `${b.at}/headers/${escapeToken(k)}`, `header ${k} was added`);
  }

  /** Compares two schemas in the direction data flows. */
  private schema(side: Side, rawA: Node, atA: string, rawB: Node, atB: string, seen: Set<string>): void {
    if (rawA === undefined && rawB === undefined) return;
    const a = resolved(this.a, rawA ?? {}, atA);
    const b = resolved(this.b, rawB ?? {}, atB);
    const pair = `${a.at}|${b.at}`;
    // A recursive schema is compared once per pair of places.
    if (seen.has(pair)) return;
    seen.add(pair);
    if (rawA?.$ref !== rawB?.$ref && (typeof rawA?.$ref === 'string' || typeof rawB?.$ref === 'string')) {
      this.add('schema_ref_changed', atB, `the schema is written at ${b.at} (was ${a.at})`, a.at, b.at);
    }
    const s = a.node ?? {};
    const t = b.node ?? {};
    const at = b.at;
    const kw = (k: Keyword, d: Direction, message: string, old?: unknown, now?: unknown) => this.add(`${side}_${k}_${d}` as RuleId, at, message, old, now);
    this.annotations(s, t, at);

    // Types, nullability apart: integer is a number.
    const ta = typesOf(s);
    const tb = typesOf(t);
    if (ta && !tb) kw('type', 'widened', `type ${[...ta].join('|')} was dropped`, [...ta]);
    else if (!ta && tb) kw('type', 'narrowed', `type ${[...tb].join('|')} was set`, undefined, [...tb]);
    else if (ta && tb) {
      if (ta.has('null') !== tb.has('null')) kw('nullable', tb.has('null') ? 'widened' : 'narrowed', tb.has('null') ? 'became nullable' : 'is no longer nullable');
      const na = [...ta].filter((x) => x !== 'null');
      const nb = [...tb].filter((x) => x !== 'null');
      const covers = (x: string[], y: string[]) => y.every((v) => x.includes(v) || (v === 'integer' && x.includes('number')));
      const wider = covers(nb, na);
      const narrower = covers(na, nb);
      if (!(wider && narrower)) {
        const d: Direction = wider ? 'widened' : narrower ? 'narrowed' : 'changed';
        kw('type', d, `type ${na.join('|')} became ${nb.join('|')}`, na, nb);
        // Another type altogether: what is inside is no longer comparable.
        if (d === 'changed') return;
      }
    }

    // Allowed values: enum, and const as an enum of one.
    const ea = valuesOf(s);
    const eb = valuesOf(t);
    if (ea && !eb) kw('enum', 'widened', 'its list of allowed values was dropped', ea);
    else if (!ea && eb) kw('enum', 'narrowed', `only ${eb.map((v) => JSON.stringify(v)).join(', ')} are allowed`, undefined, eb);
    else if (ea && eb) {
      const removed = ea.filter((v) => !eb.some((w) => isDeepStrictEqual(v, w)));
      const added = eb.filter((v) => !ea.some((w) => isDeepStrictEqual(v, w)));
      if (removed.length) kw('enum', 'narrowed', `values ${removed.map((v) => JSON.stringify(v)).join(', ')} were removed`, removed);
      if (added.length) kw('enum', 'widened', `values ${added.map((v) => JSON.stringify(v)).join(', ')} were added`, undefined, added);
    }

    for (const k of ['format', 'pattern'] as const) {
      if (s[k] === t[k]) continue;
      kw(k, s[k] === undefined ? 'narrowed' : t[k] === undefined ? 'widened' : 'changed', s[k] === undefined ? `${k} ${t[k]} was set` : t[k] === undefined ? `${k} ${s[k]} was dropped` : `${k} ${s[k]} became ${t[k]}`, s[k], t[k]);
    }
    for (const k of ['minLength', 'minItems', 'minProperties', 'minimum', 'exclusiveMinimum'] as const) bound(k, 'lower');
    for (const k of ['maxLength', 'maxItems', 'maxProperties', 'maximum', 'exclusiveMaximum'] as const) bound(k, 'upper');
    function bound(k: Keyword, which: 'lower' | 'upper') {
      const x = typeof s[k] === 'number' ? s[k] : undefined;
      const y = typeof t[k] === 'number' ? t[k] : undefined;
      if (x === y) return;
      const tighter = x === undefined || (y !== undefined && (which === 'lower' ? y > x : y < x));
      kw(k, tighter ? 'narrowed' : 'widened', `${k} ${x ?? 'none'} became ${y ?? 'none'}`, x, y);
    }
    if (s.multipleOf !== t.multipleOf) {
      const [x, y] = [s.multipleOf, t.multipleOf];
      const d: Direction = x === undefined ? 'narrowed' : y === undefined ? 'widened' : Number.isInteger(y / x) ? 'narrowed' : Number.isInteger(x / y) ? 'widened' : 'changed';
      kw('multipleOf', d, `multipleOf ${x ?? 'none'} became ${y ?? 'none'}`, x, y);
    }
    if (!!s.uniqueItems !== !!t.uniqueItems) kw('uniqueItems', t.uniqueItems ? 'narrowed' : 'widened', t.uniqueItems ? 'items must be unique' : 'items need no longer be unique');

    const closedA = s.additionalProperties === false;
    const closedB = t.additionalProperties === false;
    if (closedA !== closedB) kw('additionalProperties', closedB ? 'narrowed' : 'widened', closedB ? 'no property beyond those declared is allowed' : 'properties beyond those declared are allowed');
    else if (typeof s.additionalProperties === 'object' && typeof t.additionalProperties === 'object') this.schema(side, s.additionalProperties, `${a.at}/additionalProperties`, t.additionalProperties, `${at}/additionalProperties`, seen);

    const ra = new Set<string>(s.required ?? []);
    const rb = new Set<string>(t.required ?? []);
    const pa: Record<string, Node> = s.properties ?? {};
    const pb: Record<string, Node> = t.properties ?? {};
    for (const k of rb) if (!ra.has(k)) this.add(`${side}_required_narrowed`, `${at}/properties/${escapeToken(k)}`, `property ${k} became required`);
    for (const k of ra) if (!rb.has(k) && k in pb) this.add(`${side}_required_widened`, `${at}/properties/${escapeToken(k)}`, `property ${k} is no longer required`);
    for (const k of Object.keys(pa)) {
      const p = `${at}/properties/${escapeToken(k)}`;
      if (k in pb) this.schema(side, pa[k], `${a.at}/properties/${escapeToken(k)}`, pb[k], p, seen);
      else if (side === 'response') this.add('response_property_removed', `${a.at}/properties/${escapeToken(k)}`, `property ${k} was removed`);
      else this.add(closedB ? 'request_property_removed_closed' : 'request_property_removed', `${a.at}/properties/${escapeToken(k)}`, `property ${k} was removed`);
    }
    for (const k of Object.keys(pb)) {
      if (k in pa) continue;
      // A request property added as required is a required one (request_required_narrowed, above).
      if (side === 'response') this.add('response_property_added', `${at}/properties/${escapeToken(k)}`, `property ${k} was added`);
      else if (!rb.has(k)) this.add('request_property_added', `${at}/properties/${escapeToken(k)}`, `property ${k} was added`);
    }
    if (s.items || t.items) this.schema(side, s.items, `${a.at}/items`, t.items, `${at}/items`, seen);
    for (const comb of ['allOf', 'anyOf', 'oneOf'] as const) {
      const x: Node[] = s[comb] ?? [];
      const y: Node[] = t[comb] ?? [];
      if (x.length === y.length) {
        for (let i = 0; i < x.length; i++) this.schema(side, x[i], `${a.at}/${comb}/${i}`, y[i], `${at}/${comb}/${i}`, seen);
      } else this.add('composition_changed', `${at}/${comb}`, `${comb} had ${x.length} branches, now ${y.length}`, x.length, y.length);
    }
  }
}

function typesOf(s: Node): Set<string> | undefined {
  if (s.type === undefined) return s.properties ? new Set(['object']) : undefined;
  return new Set(([] as string[]).concat(s.type));
}

function valuesOf(s: Node): unknown[] | undefined {
  if (Array.isArray(s.enum)) return s.enum;
  return 'const' in s ? [s.const] : undefined;
}

export function diffSpecs(oldSpec: Spec, newSpec: Spec): Change[] {
  return new Differ(oldSpec.doc, newSpec.doc).run();
}

export function diffMarkdown(oldFile: string, newFile: string, changes: Change[]): string {
  const breaking = changes.filter((c) => c.breaking);
  const lines = [`# Spec diff: ${oldFile} -> ${newFile}`, '', `${breaking.length} breaking, ${changes.length - breaking.length} non-breaking change(s).`, ''];
  for (const [title, list] of [['Breaking for clients', breaking], ['Not breaking', changes.filter((c) => !c.breaking)]] as const) {
    if (!list.length) continue;
    lines.push(`## ${title}`, '', '| rule | change | where | operations | why |', '|---|---|---|---|---|');
    for (const c of list) lines.push(`| \`${c.rule}\` | ${c.message.replace(/\|/g, '\\|')} | \`${c.pointer}\` | ${c.operations.length > 3 ? `${c.operations.slice(0, 3).join('<br>')}<br>and ${c.operations.length - 3} more` : c.operations.join('<br>')} | ${RULES[c.rule].why} |`);
    lines.push('');
  }
  return lines.join('\n');
}
