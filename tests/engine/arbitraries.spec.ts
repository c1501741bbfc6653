import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { arbitraryFor, boundaryArbitraryFor, negativeArbitraryFor } from '../../src/model/arbitraries';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BAD_FORMATS, formatArbitrary, GENERATED_FORMATS } from '../../src/model/arbitraries/formats';
import { draftArbitrary } from '../../src/run/generation/requests';
import { loadContracts } from '../../src/model/contracts';
import { loadSpec } from '../../src/model/spec/load';
import { escapeToken } from '../../src/model/spec/pointer';
import { Validators } from '../../src/model/validators';
import type { Node } from '../../src/model/spec/pointer';

/** Every schema location of a spec: components, bodies, responses, parameters, response headers. */
function schemaPointers(file: string): string[] {
  const spec = loadSpec(file);
  const out = new Set(Object.keys(spec.doc.components?.schemas ?? {}).map((n) => `#/components/schemas/${escapeToken(n)}`));
  for (const op of spec.operations) {
    if (op.requestBody) out.add(op.requestBody.schemaPointer);
    for (const r of op.responses.values()) {
      if (r.schemaPointer) out.add(r.schemaPointer);
      for (const h of r.headers) out.add(h.schemaPointer);
    }
    for (const p of op.params) out.add(p.schemaPointer);
  }
  return [...out];
}

const SPECS = readdirSync('specs').filter((f) => /\.ya?ml$/.test(f)).map((f) => `specs/${f}`);

test.describe('generator differential: positive and boundary values validate, negative values do not', () => {
  for (const file of SPECS) {
    test(file, () => {
      const spec = loadSpec(file);
      const v = new Validators(spec);
      const pointers = schemaPointers(file);
      expect(pointers.length).toBeGreaterThan(10);
      for (const pointer of pointers) {
        const validate = v.at(pointer);
        fc.assert(fc.property(arbitraryFor(spec.doc, pointer), (x) => validate(x) || fail(pointer, 'positive', x, validate.errors)), { seed: 1, numRuns: 150 });
        fc.assert(fc.property(boundaryArbitraryFor(spec.doc, pointer), (x) => validate(x) || fail(pointer, 'boundary', x, validate.errors)), { seed: 2, numRuns: 80 });
        const neg = negativeArbitraryFor(spec.doc, pointer);
        if (neg) fc.assert(fc.property(neg, (s) => !validate(s.value) || fail(pointer, `negative ${s.violation.kind}`, s.value, [])), { seed: 3, numRuns: 150 });
      }
    });
  }
});

function fail(pointer: string, mode: string, value: unknown, errors: unknown): never {
  throw new Error(`${mode} value for ${pointer} is wrongly judged: ${JSON.stringify(value)} ${JSON.stringify(errors)}`);
}

test.describe('arbitraries', () => {
  const doc = loadSpec('specs/polytomic-2025-09-18.yaml').doc;
  const sample = <T>(arb: fc.Arbitrary<T>, n = 300) => fc.sample(arb, { seed: 42, numRuns: n });

  test('a user body never carries role with role_ids, and role_ids is never empty', () => {
    for (const b of sample(arbitraryFor(doc, '#/components/schemas/CreateUserRequestSchema')) as Node[]) {
      expect('role' in b && 'role_ids' in b).toBe(false);
      if (b.role_ids) expect(b.role_ids.length).toBeGreaterThan(0);
      expect(typeof b.email).toBe('string');
    }
  });

  test('emails sometimes carry a + tag in the local part', () => {
    const emails = (sample(arbitraryFor(doc, '#/components/schemas/CreateUserRequestSchema'), 400) as Node[]).map((b) => b.email);
    expect(emails.some((e) => e.split('@')[0].includes('+'))).toBe(true);
  });

  test('negative user bodies cover each rule the schema states', () => {
    const kinds = new Set((sample(negativeArbitraryFor(doc, '#/components/schemas/CreateUserRequestSchema')!, 2000) as Node[]).map((s) => s.violation.kind));
    for (const k of ['missing_required', 'wrong_type', 'bad_format', 'too_long', 'too_few_items', 'not_violated', 'null_not_nullable']) expect(kinds).toContain(k);
  });

  test('boundary organization names reach both length limits', () => {
    const lengths = new Set((sample(boundaryArbitraryFor(doc, '#/components/schemas/CreateOrganizationRequestSchema'), 200) as Node[]).map((b) => [...b.name].length));
    expect(lengths).toContain(1);
    expect(lengths).toContain(255);
  });

  test('patterns generate matching strings, including both length edges', () => {
    const keys = sample(boundaryArbitraryFor(doc, '#/components/parameters/IdempotencyKey/schema'), 200) as string[];
    expect(keys.every((k) => /^[A-Za-z0-9_-]{8,255}$/.test(k))).toBe(true);
    expect(keys.map((k) => k.length)).toEqual(expect.arrayContaining([8, 255]));
  });

  test('recursive schemas terminate', () => {
    const tree = { components: { schemas: { Node: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } } } };
    for (const n of sample(arbitraryFor(tree, '#/components/schemas/Node'), 100) as Node[]) expect(typeof n.name).toBe('string');
  });

  test('shrinking is structural: a failure on a + in an email shrinks to a short email', () => {
    const r = fc.check(
      fc.property(arbitraryFor(doc, '#/components/schemas/CreateUserRequestSchema'), (b: Node) => !b.email.split('@')[0].includes('+')),
      { seed: 5, numRuns: 500 },
    );
    expect(r.failed).toBe(true);
    const body = r.counterexample![0] as Node;
    expect(Object.keys(body)).toEqual(['email']);
    expect(body.email.length).toBeLessThanOrEqual(12);
  });

  test('negative header values reach the wire as generated: never blank, no surrounding whitespace', () => {
    // HTTP trims header values and curl drops a blank one, so the reproduction would differ.
    const spec = loadSpec('specs/polytomic-2025-09-18.yaml');
    const drafts = sample(draftArbitrary(spec, spec.byId.get('users_create')!, 'negative', loadContracts().profile)!, 3000).filter((d) => d.violation?.location === 'header');
    expect(drafts.length).toBeGreaterThan(50);
    for (const d of drafts) for (const v of Object.values(d.headers)) expect(v, JSON.stringify(d.violation)).toMatch(/^\S(.*\S)?$/);
  });

  test('every format generator gives values ajv-formats accepts, and every bad-format value is rejected', () => {
    const ajv = new Ajv2020();
    addFormats(ajv);
    for (const format of GENERATED_FORMATS) {
      const validate = ajv.compile({ type: 'string', format });
      for (const x of sample(formatArbitrary(format)!, 500)) expect(validate(x), `${format}: ${x}`).toBe(true);
      for (const x of sample(BAD_FORMATS[format], 20)) expect(validate(x), `${format}: ${x}`).toBe(false);
    }
  });

  test('a fixed seed gives the same values', () => {
    const arb = negativeArbitraryFor(doc, '#/components/schemas/UpdateUserRequestSchema')!;
    expect(fc.sample(arb, { seed: 9, numRuns: 20 })).toEqual(fc.sample(arb, { seed: 9, numRuns: 20 }));
  });
});
