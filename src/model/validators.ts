import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Spec } from './spec/load';
import { assumptionOf } from './spec/fields';
import { escapeToken, type Node } from './spec/pointer';

const DOC_ID = 'openapi.json';
/** OpenAPI keywords that are not JSON Schema; declared so ajv stays in strict mode. */
const OPENAPI_VOCABULARY = [
  'openapi', 'info', 'servers', 'paths', 'components', 'tags', 'security', 'webhooks',
  'jsonSchemaDialect', 'externalDocs', 'example', 'xml', 'discriminator',
];

function extensionKeys(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) extensionKeys(n, found);
  }
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) found.add(k);
      extensionKeys(v, found);
    }
  }
  return found;
}

export interface ValidationIssue {
  pointer: string;
  message: string;
  keyword: string;
  /** Where in the document the broken keyword is (`#/components/schemas/User/properties/email/type`), when known. */
  schemaLocation?: string;
  /**
   * The open question a broken keyword rests on, where the spec marks it as a constraint no
   * source states (`x-assumptions: { format: request_email_format }`).
   */
  assumption?: string;
}

/** Every object of a document with the first pointer it sits at (YAML aliases put one object at several). */
function locations(doc: Node): WeakMap<object, string> {
  const out = new WeakMap<object, string>();
  const walk = (node: Node, at: string) => {
    if (!node || typeof node !== 'object' || out.has(node)) return;
    out.set(node, at);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${escapeToken(k)}`);
  };
  walk(doc, '#');
  return out;
}

export function describeErrors(errors: ErrorObject[] | null | undefined, locate?: (schema: object) => string | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => {
    let message = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') message += `: ${(e.params as { additionalProperty: string }).additionalProperty}`;
    if (e.keyword === 'enum') message += `: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    const parent = e.parentSchema && locate?.(e.parentSchema);
    const assumption = assumptionOf(e.parentSchema, e.keyword, (e.params as { missingProperty?: string }).missingProperty);
    // A required property is its own rule: `.../required/email`.
    const missing = e.keyword === 'required' ? `/${escapeToken((e.params as { missingProperty: string }).missingProperty)}` : '';
    return { pointer: e.instancePath || '/', message, keyword: e.keyword, ...(parent ? { schemaLocation: `${parent}/${e.keyword}${missing}` } : {}), ...(assumption ? { assumption } : {}) };
  });
}

/**
 * Compiled ajv (JSON Schema 2020-12) validators for one spec, compiled once per pointer
 * against the raw document so `$ref`s (recursive ones too) resolve natively.
 */
export class Validators {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly spec: Spec) {
    // verbose: an error carries the schema object it broke, which `locate` maps back into the document.
    this.ajv = new Ajv2020({ allErrors: true, strictTuples: false, strictRequired: false, verbose: true });
    addFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_VOCABULARY);
    // x- extensions may sit on any object of the document, schemas included.
    this.ajv.addVocabulary([...extensionKeys(spec.doc)]);
    this.ajv.addSchema(spec.doc, DOC_ID);
  }

  /** The validator for the schema at a local JSON pointer (`#/components/schemas/User`). */
  at(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      this.compiled.set(pointer, fn);
    }
    return fn;
  }

  private located?: WeakMap<object, string>;

  /** The document pointer of a schema object, for naming the rule a value broke. */
  readonly locate = (schema: object): string | undefined => {
    this.located ??= locations(this.spec.doc);
    return this.located.get(schema);
  };

  /** Validates against a schema object of the document (one `locate` finds), else against its JSON alone. */
  checkSchema(schema: Node, value: unknown): ValidationIssue[] {
    const at = this.locate(schema);
    if (at) return this.check(at, value);
    return this.ajv.validate(schema, value) ? [] : describeErrors(this.ajv.errors, this.locate);
  }

  /** Validates and returns the issues (empty when valid). */
  check(pointer: string, value: unknown): ValidationIssue[] {
    const fn = this.at(pointer);
    return fn(value) ? [] : describeErrors(fn.errors, this.locate);
  }

  /** Compiles every schema the operations use, so the first request pays no compile cost. */
  warm(): this {
    for (const op of this.spec.operations) {
      if (op.requestBody) this.at(op.requestBody.schemaPointer);
      for (const r of op.responses.values()) {
        if (r.schemaPointer) this.at(r.schemaPointer);
        for (const h of r.headers) this.at(h.schemaPointer);
      }
      for (const p of op.params) this.at(p.schemaPointer);
    }
    return this;
  }
}

const cache = new WeakMap<Spec, Validators>();
export function validatorsFor(spec: Spec): Validators {
  let v = cache.get(spec);
  if (!v) {
    v = new Validators(spec);
    cache.set(spec, v);
  }
  return v;
}
