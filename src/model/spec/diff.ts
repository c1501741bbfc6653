import { resolve as resolveSchema, type Schema } from '../arbitraries/schema';
import type { Operation, Spec } from './load';
import type { Node } from './pointer';

/** Every rule the classifier applies, with whether such a change breaks existing clients. */
export const RULES = {
  operation_removed: { breaking: true, why: 'clients calling it get 404' },
  operation_added: { breaking: false, why: 'additive' },
  method_changed: { breaking: true, why: 'clients send the old method (e.g. PATCH) and get 405' },
  security_changed: { breaking: true, why: 'credentials clients send may be refused' },
  required_parameter_added: { breaking: true, why: 'clients do not send it' },
  parameter_became_required: { breaking: true, why: 'clients may omit it' },
  optional_parameter_added: { breaking: false, why: 'additive' },
  parameter_removed: { breaking: false, why: 'servers ignore what they do not read' },
  request_enum_value_removed: { breaking: true, why: 'a value clients send is refused' },
  request_enum_value_added: { breaking: false, why: 'additive' },
  request_body_became_required: { breaking: true, why: 'clients may send no body' },
  request_property_required: { breaking: true, why: 'clients may omit the property' },
  request_property_added: { breaking: false, why: 'optional and additive' },
  request_property_removed: { breaking: false, why: 'a server ignores a field it no longer reads' },
  request_type_changed: { breaking: true, why: 'what clients send no longer validates' },
  response_status_removed: { breaking: true, why: 'clients handling it (typed errors) lose it' },
  response_status_added: { breaking: false, why: 'documents what clients may already receive' },
  response_property_removed: { breaking: true, why: 'clients reading it get undefined' },
  response_property_added: { breaking: false, why: 'additive for generated clients' },
  response_type_changed: { breaking: true, why: 'clients deserialise the old type' },
  response_became_nullable: { breaking: true, why: 'non-null-safe clients crash on null' },
  response_enum_value_added: { breaking: true, why: 'exhaustive switches in clients miss it' },
  response_enum_value_removed: { breaking: false, why: 'narrower output' },
  response_body_schema_changed: { breaking: true, why: 'the body is another type' },
} as const;

export type RuleId = keyof typeof RULES;

export interface Change {
  rule: RuleId;
  breaking: boolean;
  operation: string;
  pointer: string;
  message: string;
  old?: unknown;
  new?: unknown;
}

type Side = 'request' | 'response';

class Differ {
  readonly changes: Change[] = [];
  constructor(private readonly a: Spec, private readonly b: Spec) {}

  private add(rule: RuleId, operation: string, pointer: string, message: string, old?: unknown, now?: unknown): void {
    this.changes.push({ rule, breaking: RULES[rule].breaking, operation, pointer, message, ...(old !== undefined ? { old } : {}), ...(now !== undefined ? { new: now } : {}) });
  }

  run(): Change[] {
    const key = (o: Operation) => `${o.method.toUpperCase()} ${o.path}`;
    const newByKey = new Map(this.b.operations.map((o) => [key(o), o]));
    const oldByKey = new Map(this.a.operations.map((o) => [key(o), o]));
    const paired = new Set<string>();
    for (const old of this.a.operations) {
      let now = newByKey.get(key(old));
      if (!now) {
        // Same path and operation id, another method: a method change, not a removal plus an addition.
        const moved = this.b.operations.find((o) => o.path === old.path && (o.id === old.id || (old.method === 'patch' && o.method === 'put')) && !oldByKey.has(key(o)));
        if (moved) {
          this.add('method_changed', label(old), old.pointer, `${old.method.toUpperCase()} ${old.path} became ${moved.method.toUpperCase()}`, old.method.toUpperCase(), moved.method.toUpperCase());
          now = moved;
        } else {
          this.add('operation_removed', label(old), old.pointer, `${key(old)} was removed`);
          continue;
        }
      }
      paired.add(key(now));
      this.operation(old, now);
    }
    for (const now of this.b.operations) if (!paired.has(key(now))) this.add('operation_added', label(now), now.pointer, `${key(now)} was added`);
    return this.changes;
  }

  private operation(old: Operation, now: Operation): void {
    const op = label(now);
    const oldCreds = [...old.credentials].sort().join(',');
    const newCreds = [...now.credentials].sort().join(',');
    const oldSchemes = JSON.stringify(schemesOf(this.a, old));
    const newSchemes = JSON.stringify(schemesOf(this.b, now));
    if (oldCreds !== newCreds || oldSchemes !== newSchemes) this.add('security_changed', op, `${now.pointer}/security`, `accepted credentials changed`, JSON.parse(oldSchemes), JSON.parse(newSchemes));

    for (const p of now.params) {
      const before = old.params.find((x) => x.in === p.in && x.name.toLowerCase() === p.name.toLowerCase());
      const at = `${now.pointer}/parameters/${p.in}:${p.name}`;
      if (!before) this.add(p.required ? 'required_parameter_added' : 'optional_parameter_added', op, at, `${p.in} parameter ${p.name} was added${p.required ? ' as required' : ''}`);
      else {
        if (p.required && !before.required) this.add('parameter_became_required', op, at, `${p.in} parameter ${p.name} became required`);
        this.schema(op, at, 'request', this.a.doc, before.schema, this.b.doc, p.schema, new Set());
      }
    }
    for (const p of old.params) {
      if (!now.params.some((x) => x.in === p.in && x.name.toLowerCase() === p.name.toLowerCase())) this.add('parameter_removed', op, `${old.pointer}/parameters/${p.in}:${p.name}`, `${p.in} parameter ${p.name} was removed`);
    }
    if (now.requestBody) {
      if (!old.requestBody) this.add(now.requestBody.required ? 'request_body_became_required' : 'request_property_added', op, `${now.pointer}/requestBody`, 'a request body was added');
      else {
        if (now.requestBody.required && !old.requestBody.required) this.add('request_body_became_required', op, `${now.pointer}/requestBody`, 'the request body became required');
        this.schema(op, `${now.pointer}/requestBody`, 'request', this.a.doc, { $ref: old.requestBody.schemaPointer }, this.b.doc, { $ref: now.requestBody.schemaPointer }, new Set());
      }
    }
    for (const [status, r] of old.responses) {
      const n = now.responses.get(status);
      const at = `${now.pointer}/responses/${status}`;
      if (!n) this.add('response_status_removed', op, at, `response ${status} is no longer documented`);
      else if (r.schemaPointer && n.schemaPointer) this.schema(op, at, 'response', this.a.doc, { $ref: r.schemaPointer }, this.b.doc, { $ref: n.schemaPointer }, new Set());
    }
    for (const status of now.responses.keys()) if (!old.responses.has(status)) this.add('response_status_added', op, `${now.pointer}/responses/${status}`, `response ${status} was added`);
  }

  /** Compares two schemas in the direction data flows: requests (client -> server) or responses. */
  private schema(op: string, at: string, side: Side, docA: Node, rawA: Schema, docB: Node, rawB: Schema, seen: Set<string>): void {
    const pairKey = `${at}|${JSON.stringify(rawA).slice(0, 200)}|${JSON.stringify(rawB).slice(0, 200)}`;
    if (seen.has(pairKey) || seen.size > 500) return;
    seen.add(pairKey);
    const a = resolveSchema(docA, rawA);
    const b = resolveSchema(docB, rawB);
    const ta = types(a);
    const tb = types(b);
    if (ta && tb) {
      const nonNullA = ta.filter((t) => t !== 'null');
      const nonNullB = tb.filter((t) => t !== 'null');
      if (JSON.stringify(nonNullA) !== JSON.stringify(nonNullB)) {
        this.add(side === 'request' ? 'request_type_changed' : 'response_type_changed', op, at, `type ${ta.join('|')} became ${tb.join('|')}`, ta, tb);
        return;
      }
      if (side === 'response' && !ta.includes('null') && tb.includes('null')) this.add('response_became_nullable', op, at, 'became nullable', ta, tb);
    }
    if (Array.isArray(a.enum) || Array.isArray(b.enum)) {
      const ea: unknown[] = a.enum ?? [];
      const eb: unknown[] = b.enum ?? [];
      const removed = ea.filter((v) => !eb.includes(v));
      const added = eb.filter((v) => !ea.includes(v));
      if (removed.length && b.enum) this.add(side === 'request' ? 'request_enum_value_removed' : 'response_enum_value_removed', op, at, `enum values removed: ${removed.join(', ')}`, removed);
      if (added.length && a.enum) this.add(side === 'request' ? 'request_enum_value_added' : 'response_enum_value_added', op, at, `enum values added: ${added.join(', ')}`, undefined, added);
    }
    if (a.items && b.items) this.schema(op, `${at}/items`, side, docA, a.items, docB, b.items, seen);
    const pa: Record<string, Schema> = a.properties ?? {};
    const pb: Record<string, Schema> = b.properties ?? {};
    const ra = new Set<string>(a.required ?? []);
    const rb = new Set<string>(b.required ?? []);
    for (const k of Object.keys(pa)) {
      const p = `${at}/properties/${k}`;
      if (!(k in pb)) this.add(side === 'request' ? 'request_property_removed' : 'response_property_removed', op, p, `property ${k} was removed`);
      else this.schema(op, p, side, docA, pa[k], docB, pb[k], seen);
    }
    for (const k of Object.keys(pb)) {
      if (!(k in pa)) this.add(side === 'request' ? (rb.has(k) ? 'request_property_required' : 'request_property_added') : 'response_property_added', op, `${at}/properties/${k}`, `property ${k} was added${rb.has(k) && side === 'request' ? ' as required' : ''}`);
      else if (side === 'request' && rb.has(k) && !ra.has(k)) this.add('request_property_required', op, `${at}/properties/${k}`, `property ${k} became required`);
    }
  }
}

function types(s: Schema): string[] | undefined {
  if (s.type === undefined) return s.properties ? ['object'] : undefined;
  return ([] as string[]).concat(s.type).map((t) => (t === 'integer' ? 'number' : t)).sort();
}

function schemesOf(spec: Spec, op: Operation): unknown[] {
  const raw = (spec.doc.paths[op.path]?.[op.method]?.security ?? spec.doc.security ?? []) as Record<string, unknown>[];
  const defs = spec.doc.components?.securitySchemes ?? {};
  return raw.flatMap((req) => Object.keys(req).map((n) => `${defs[n]?.type}:${defs[n]?.scheme ?? ''}`)).sort();
}

function label(op: Operation): string {
  return `${op.method.toUpperCase()} ${op.path} (${op.id})`;
}

export function diffSpecs(oldSpec: Spec, newSpec: Spec): Change[] {
  return new Differ(oldSpec, newSpec).run();
}

export function diffMarkdown(oldFile: string, newFile: string, changes: Change[]): string {
  const breaking = changes.filter((c) => c.breaking);
  const lines = [`# Spec diff: ${oldFile} -> ${newFile}`, '', `${breaking.length} breaking, ${changes.length - breaking.length} non-breaking change(s).`, ''];
  for (const [title, list] of [['Breaking for clients', breaking], ['Not breaking', changes.filter((c) => !c.breaking)]] as const) {
    if (!list.length) continue;
    lines.push(`## ${title}`, '');
    const byOp = new Map<string, Change[]>();
    for (const c of list) byOp.set(c.operation, [...(byOp.get(c.operation) ?? []), c]);
    for (const [op, cs] of byOp) {
      lines.push(`### ${op}`, '');
      for (const c of cs) lines.push(`- \`${c.rule}\` ${c.message} (at \`${c.pointer.replace(/^#\/paths\/[^/]+\/\w+\/?/, '') || 'operation'}\`) — ${RULES[c.rule].why}`);
      lines.push('');
    }
  }
  return lines.join('\n');
}
