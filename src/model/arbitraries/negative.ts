import fc from 'fast-check';
import { BAD_FORMATS } from './formats';
import { type ValueGenerator, omit } from './positive';
import { assumptionOf } from '../spec/fields';
import { escapeToken, type Node } from '../spec/pointer';
import { forbiddenTogether, type JsonType, resolve, type Schema, typesOf } from './schema';

export type ViolationKind =
  | 'wrong_type'
  | 'null_not_nullable'
  | 'missing_required'
  | 'too_long'
  | 'too_short'
  | 'bad_format'
  | 'pattern_mismatch'
  | 'enum_mismatch'
  | 'below_minimum'
  | 'above_maximum'
  | 'too_few_items'
  | 'too_many_items'
  | 'duplicate_items'
  | 'not_violated'
  | 'unknown_key';

export interface Violation {
  kind: ViolationKind;
  /** Where in the value the rule is broken (JSON pointer). */
  pointer: string;
  description: string;
  /** The open question the broken keyword rests on (`x-assumptions`), when it is one. */
  assumption?: string;
}

export interface NegativeSample {
  value: unknown;
  violation: Violation;
}

const SAMPLE_OF: Record<JsonType, unknown> = { null: null, boolean: true, integer: 7, number: 1.5, string: 'text', array: [], object: {} };

/**
 * Values a schema rejects, each breaking exactly one rule at one place, tagged with what it
 * breaks. Built around positive values, so everything but the violation stays valid and
 * shrinking keeps the violation.
 */
export class NegativeGenerator {
  constructor(
    private readonly doc: Node,
    private readonly values: ValueGenerator,
    private readonly assumptions?: { enforced(question: string): boolean },
    private readonly maxDepth = 4,
  ) {}

  /** May a keyword of this schema be broken? Not when it is an assumption the target is not known to enforce. */
  private breakable(s: Schema, keyword: string, property?: string): boolean {
    const question = assumptionOf(s, keyword, property);
    return !question || !this.assumptions || this.assumptions.enforced(question);
  }

  /** Every single-violation arbitrary for a schema (empty when nothing can be broken). */
  negatives(schemaIn: Schema | boolean | undefined, pointer = '', depth = 0): fc.Arbitrary<NegativeSample>[] {
    const s = resolve(this.doc, schemaIn);
    const out: fc.Arbitrary<NegativeSample>[] = [];
    const v = (kind: ViolationKind, description: string, at = pointer) => ({ kind, pointer: at, description: `${at || '/'} ${description}` });
    const types = typesOf(s);

    if (Array.isArray(s.enum) && this.breakable(s, 'enum')) {
      const violation = { ...v('enum_mismatch', `is not one of ${JSON.stringify(s.enum)}`), ...assumed(s, 'enum') };
      out.push(fc.constant({ value: '__not_in_enum__', violation }).filter((x) => !s.enum.includes(x.value)));
    }
    if (types && !Array.isArray(s.enum) && !('const' in s)) {
      const allowed = new Set<JsonType>(types.includes('number') ? [...types, 'integer'] : types);
      if (!allowed.has('null')) out.push(fc.constant({ value: null, violation: v('null_not_nullable', 'is null but not nullable') }));
      // 1.5 is not an integer, but 7 is a number: only offer types the schema really rejects.
      const rejected = (Object.keys(SAMPLE_OF) as JsonType[]).filter((t) => t !== 'null' && !allowed.has(t));
      if (rejected.length) out.push(fc.constantFrom(...rejected).map((t) => ({ value: SAMPLE_OF[t], violation: v('wrong_type', `is ${t}, expected ${types.join(' or ')}`) })));
    }
    if (types?.includes('string')) out.push(...this.stringNegatives(s, v));
    if (types?.includes('integer') || types?.includes('number')) {
      if (s.minimum !== undefined) out.push(fc.constant({ value: s.minimum - 1, violation: v('below_minimum', `is below ${s.minimum}`) }));
      if (s.maximum !== undefined) out.push(fc.constant({ value: s.maximum + 1, violation: v('above_maximum', `is above ${s.maximum}`) }));
    }
    if (depth < this.maxDepth && types?.includes('array')) out.push(...this.arrayNegatives(s, pointer, depth, v));
    if (depth < this.maxDepth && types?.includes('object')) out.push(...this.objectNegatives(s, pointer, depth, v));
    return out;
  }

  private stringNegatives(s: Schema, plain: (k: ViolationKind, d: string) => Violation): fc.Arbitrary<NegativeSample>[] {
    const out: fc.Arbitrary<NegativeSample>[] = [];
    const v = (k: ViolationKind, d: string, keyword: string): Violation => ({ ...plain(k, d), ...assumed(s, keyword) });
    if (s.minLength > 0 && this.breakable(s, 'minLength')) out.push(fc.constant({ value: 'x'.repeat(s.minLength - 1), violation: v('too_short', `is shorter than ${s.minLength}`, 'minLength') }));
    if (s.maxLength !== undefined && this.breakable(s, 'maxLength')) out.push(fc.constant({ value: 'x'.repeat(s.maxLength + 1), violation: v('too_long', `is longer than ${s.maxLength}`, 'maxLength') }));
    if (s.format && BAD_FORMATS[s.format] && this.breakable(s, 'format')) {
      out.push(BAD_FORMATS[s.format].filter((x) => fitsLength(s, x)).map((value) => ({ value, violation: v('bad_format', `is not a valid ${s.format}`, 'format') })));
    }
    if (s.pattern && this.breakable(s, 'pattern')) {
      const re = new RegExp(s.pattern);
      out.push(
        fc
          .oneof(fc.constantFrom('!', 'short', 'has space inside', ''), fc.string({ maxLength: 12 }))
          .filter((x) => !re.test(x) && fitsLength(s, x))
          .map((value) => ({ value, violation: v('pattern_mismatch', `does not match ${s.pattern}`, 'pattern') })),
      );
    }
    return out;
  }

  private arrayNegatives(s: Schema, pointer: string, depth: number, v: (k: ViolationKind, d: string) => Violation): fc.Arbitrary<NegativeSample>[] {
    const out: fc.Arbitrary<NegativeSample>[] = [];
    const item = this.values.gen(s.items, 'positive', depth + 1);
    if (s.minItems > 0) {
      out.push(fc.array(item, { minLength: s.minItems - 1, maxLength: s.minItems - 1 }).map((value) => ({ value, violation: v('too_few_items', `has fewer than ${s.minItems} items`) })));
    }
    if (s.maxItems !== undefined && s.maxItems < 50) {
      out.push(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 }).map((value) => ({ value, violation: v('too_many_items', `has more than ${s.maxItems} items`) })));
    }
    if (s.uniqueItems) out.push(item.map((x) => ({ value: [x, x], violation: v('duplicate_items', 'has duplicate items') })));
    // One bad item inside an otherwise valid array.
    const min = Math.max(s.minItems ?? 0, 1);
    for (const bad of this.negatives(s.items, `${pointer}/0`, depth + 1)) {
      out.push(fc.tuple(bad, fc.array(item, { minLength: min - 1, maxLength: min - 1 })).map(([b, rest]) => ({ value: [b.value, ...rest], violation: b.violation })));
    }
    return out;
  }

  private objectNegatives(s: Schema, pointer: string, depth: number, v: (k: ViolationKind, d: string, at?: string) => Violation): fc.Arbitrary<NegativeSample>[] {
    const out: fc.Arbitrary<NegativeSample>[] = [];
    const base = this.values.gen(s, 'positive', depth) as fc.Arbitrary<Record<string, unknown>>;
    const props: Record<string, Schema> = s.properties ?? {};
    for (const key of (s.required ?? []) as string[]) {
      if (!this.breakable(s, 'required', key)) continue;
      const violation = { ...v('missing_required', `lacks required ${key}`, `${pointer}/${escapeToken(key)}`), ...assumed(s, 'required', key) };
      out.push(base.map((o) => ({ value: omit(o, key), violation })));
    }
    if (s.additionalProperties === false) {
      out.push(base.map((o) => ({ value: { ...o, __unknown_key__: 1 }, violation: v('unknown_key', 'has an unknown key __unknown_key__') })));
    }
    const apart = forbiddenTogether(s);
    if (apart) {
      const both = fc.record(Object.fromEntries(apart.map((k) => [k, this.values.gen(props[k] ?? {}, 'positive', depth + 1)])));
      out.push(fc.tuple(base, both).map(([o, b]) => ({ value: { ...o, ...b }, violation: v('not_violated', `has ${apart.join(' and ')} together`) })));
    }
    for (const [key, sub] of Object.entries(props)) {
      for (const bad of this.negatives(sub, `${pointer}/${escapeToken(key)}`, depth + 1)) {
        // A bad value for a key that must stay apart from another must not bring the other along.
        out.push(fc.tuple(base, bad).map(([o, b]) => ({ value: { ...(apart?.includes(key) ? withoutOthers(o, apart, key) : o), [key]: b.value }, violation: b.violation })));
      }
    }
    return out;
  }
}

/** `{ assumption }` when the keyword rests on an open question, else nothing. */
function assumed(s: Schema, keyword: string, property?: string): { assumption?: string } {
  const question = assumptionOf(s, keyword, property);
  return question ? { assumption: question } : {};
}

function withoutOthers(o: Record<string, unknown>, apart: string[], keep: string): Record<string, unknown> {
  return apart.filter((k) => k !== keep).reduce((acc, k) => omit(acc, k), o);
}

function fitsLength(s: Schema, x: string): boolean {
  const n = [...x].length;
  return n >= (s.minLength ?? 0) && n <= (s.maxLength ?? Infinity);
}
