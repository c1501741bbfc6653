import fc from 'fast-check';
import { formatArbitrary } from './formats';
import { DEFAULTS, forbiddenTogether, type GenOptions, type JsonType, resolve, type Schema, typesOf } from './schema';
import type { Node } from '../spec/pointer';

export type Flavour = 'positive' | 'boundary';

/** Characters that tend to break servers, mixed into ordinary text now and then. */
const TEXT_UNIT = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 1 }), weight: 12 },
  { arbitrary: fc.constantFrom('+', ' ', '"', "'", '\\', '/', '%', 'é', '€', '日', '😀'), weight: 2 },
);

function text(min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: TEXT_UNIT, minLength: min, maxLength: max });
}

const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * Values a JSON Schema accepts, built from fast-check combinators so shrinking is structural.
 * `boundary` picks the edges instead: minimal and maximal lengths and counts, null where
 * nullable, every optional key absent or every one present.
 */
export class ValueGenerator {
  private readonly o: Required<GenOptions>;

  constructor(private readonly doc: Node, opts: GenOptions = {}) {
    this.o = { ...DEFAULTS, ...opts };
  }

  gen(schemaIn: Schema | boolean | undefined, flavour: Flavour, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(this.doc, schemaIn);
    if ('const' in s) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
    if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
      const branches: Schema[] = s.anyOf ?? s.oneOf;
      const { anyOf: _a, oneOf: _o, ...rest } = s;
      return fc.oneof(...branches.map((b) => this.gen({ ...rest, ...resolve(this.doc, b) }, flavour, depth + 1)));
    }
    const types = typesOf(s);
    if (!types) return anyJson;
    const arbs = types.map((t) => this.ofType(t, s, flavour, depth));
    return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
  }

  private ofType(t: JsonType, s: Schema, flavour: Flavour, depth: number): fc.Arbitrary<unknown> {
    switch (t) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'number':
        return this.number(s, t === 'integer', flavour);
      case 'string':
        return this.string(s, flavour);
      case 'array':
        return this.array(s, flavour, depth);
      case 'object':
        return this.object(s, flavour, depth);
    }
  }

  private number(s: Schema, integer: boolean, flavour: Flavour): fc.Arbitrary<number> {
    const step = s.multipleOf ?? (integer ? 1 : undefined);
    let min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (step ?? 1e-6) : -1e6);
    let max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (step ?? 1e-6) : 1e6);
    if (step) {
      min = Math.ceil(min / step);
      max = Math.floor(max / step);
      const n = flavour === 'boundary' ? fc.constantFrom(min, max) : fc.integer({ min, max });
      return n.map((k) => k * step);
    }
    return flavour === 'boundary' ? fc.constantFrom(min, max) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  }

  private string(s: Schema, flavour: Flavour): fc.Arbitrary<string> {
    const min = s.minLength ?? 0;
    const max = Math.max(min, Math.min(s.maxLength ?? Infinity, s.maxLength !== undefined && flavour === 'boundary' ? s.maxLength : this.o.maxStringLength));
    const fits = (v: string) => [...v].length >= min && [...v].length <= (s.maxLength ?? Infinity);
    const formatted = s.format ? formatArbitrary(s.format) : undefined;
    if (formatted) return formatted.filter(fits);
    if (s.pattern) {
      const arb = fc.stringMatching(new RegExp(s.pattern)).filter(fits);
      return flavour === 'boundary' ? fc.oneof(arb, ...this.patternEdges(s)) : arb;
    }
    if (flavour === 'boundary') return fc.oneof(text(min, min), text(max, max));
    return text(min, max);
  }

  /** Strings of exactly the minimum and maximum length for `^[class]{m,n}$` patterns. */
  private patternEdges(s: Schema): fc.Arbitrary<string>[] {
    const m = /^\^(\[[^\]]+\])\{(\d+),(\d+)\}\$$/.exec(s.pattern);
    if (!m) return [];
    const unit = fc.stringMatching(new RegExp(`^${m[1]}$`));
    return [Number(m[2]), Number(m[3])].map((n) => fc.array(unit, { minLength: n, maxLength: n }).map((cs) => cs.join('')));
  }

  private array(s: Schema, flavour: Flavour, depth: number): fc.Arbitrary<unknown[]> {
    const min = s.minItems ?? 0;
    const max = Math.max(min, Math.min(s.maxItems ?? Infinity, this.o.maxItems));
    const item = depth >= this.o.maxDepth ? undefined : this.gen(s.items, flavour, depth + 1);
    if (!item) return fc.constant([]);
    const build = (lo: number, hi: number) =>
      s.uniqueItems ? fc.uniqueArray(item, { minLength: lo, maxLength: hi, selector: (v) => JSON.stringify(v) }) : fc.array(item, { minLength: lo, maxLength: hi });
    if (flavour === 'boundary') return fc.oneof(build(min, min), build(Math.max(min, 1), Math.max(min, 1)), build(max, max));
    return build(min, max);
  }

  private object(s: Schema, flavour: Flavour, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props: Record<string, Schema> = s.properties ?? {};
    const required: string[] = s.required ?? [];
    // Past the depth bound, only required keys: recursion ends on the smallest valid value.
    const keys = depth >= this.o.maxDepth ? required : Object.keys(props);
    const model = Object.fromEntries(keys.map((k) => [k, this.gen(props[k] ?? {}, flavour, depth + 1)]));
    const apart = forbiddenTogether(s);
    let arb: fc.Arbitrary<Record<string, unknown>>;
    if (flavour === 'boundary') {
      const onlyRequired = fc.record(Object.fromEntries(required.filter((k) => model[k]).map((k) => [k, model[k]])));
      const all = fc.record(model);
      arb = fc.oneof(onlyRequired, all);
    } else {
      arb = fc.record(model, { requiredKeys: required.filter((k) => model[k]) });
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object' && !keys.length) {
      const value = this.gen(s.additionalProperties, flavour, depth + 1);
      arb = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), value, { maxKeys: 3 });
    }
    // Drop one of the keys that may not appear together (e.g. role with role_ids).
    return apart ? arb.map((v) => (apart.every((k) => k in v) ? omit(v, apart[apart.length - 1]) : v)) : arb;
  }
}

export function omit<T extends Record<string, unknown>>(v: T, key: string): T {
  const { [key]: _drop, ...rest } = v;
  return rest as T;
}
