import { type Node, unescapeToken } from '../../model/spec/pointer';
import fc from 'fast-check';
import { arbitraryFor, boundaryArbitraryFor, negativeArbitraryFor, type NegativeSample } from '../../model/arbitraries';
import type { Intent, RejectionRule } from '../../checks/types';
import type { TargetProfile } from '../../model/contracts';
import type { Operation, ParamSpec, Spec } from '../../model/spec/load';
import type { RequestParts } from '../../target/target';
import type { Validators } from '../../model/validators';
import type { Plan } from './plan';

export type Mode = 'positive' | 'negative' | 'boundary';

/**
 * The generated part of a request. Live ids and run-specific values come from the operation's
 * plan when the request is sent (they are state, not data), so the draft stays pure and shrinks.
 */
export interface Draft {
  body?: unknown;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Negative mode: a path parameter replaced by an invalid value. */
  path?: { name: string; value: string };
  /** Negative mode: the one rule this request breaks, and the contract status that rejects it. */
  violation?: { location: 'body' | 'path' | 'query' | 'header'; kind: string; description: string; pointer: string; rejectedAs: RejectionRule; assumption?: string };
}

/** Violations a server meets while decoding a body rather than validating it. */
const TYPE_ERRORS = new Set(['wrong_type', 'null_not_nullable']);

type Location = NonNullable<Draft['violation']>['location'];
type Wire = Record<string, string | undefined>;

const asString = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Header and query values are strings on the wire: only values that survive that are usable. */
function wireParam(doc: Node, p: ParamSpec, mode: 'positive' | 'boundary') {
  const arb = mode === 'positive' ? arbitraryFor(doc, p.schemaPointer) : boundaryArbitraryFor(doc, p.schemaPointer);
  return arb.map((v) => asString(v));
}

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** A draft arbitrary for one operation and mode, cached: property loops build nothing per run. */
const cache = new Map<string, fc.Arbitrary<Draft> | undefined>();

/**
 * Drafts for an operation in a mode. Negative drafts break constraints the sources do not state
 * (`x-assumptions`) only where the target profile says the server enforces them.
 */
export function draftArbitrary(spec: Spec, op: Operation, mode: Mode, profile: TargetProfile): fc.Arbitrary<Draft> | undefined {
  const key = `${spec.file}#${op.id}#${mode}#${profile.key}`;
  if (!cache.has(key)) cache.set(key, build(spec, op, mode, profile));
  return cache.get(key);
}

function build(spec: Spec, op: Operation, mode: Mode, profile: TargetProfile): fc.Arbitrary<Draft> | undefined {
  const doc = spec.doc;
  const assumptions = { key: profile.key, enforced: (question: string) => profile.only(question, 'enforced') };
  const headerParams = op.params.filter((p) => p.in === 'header');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const pathParams = op.params.filter((p) => p.in === 'path');
  const bodyPointer = op.requestBody?.schemaPointer;

  if (mode !== 'negative') {
    const record = (params: ParamSpec[]) =>
      fc.record(Object.fromEntries(params.map((p) => [p.name, p.required ? wireParam(doc, p, mode) : optional(wireParam(doc, p, mode))])));
    return fc
      .record({
        body: bodyPointer ? (mode === 'positive' ? arbitraryFor(doc, bodyPointer) : boundaryArbitraryFor(doc, bodyPointer)) : fc.constant(undefined),
        query: record(queryParams),
        headers: record(headerParams),
      })
      .map(({ body, query, headers }) => ({ body, query: defined(query as Wire), headers: defined(headers as Wire) }));
  }

  // Negative: exactly one location breaks exactly one rule; everything else stays valid.
  const validBody = bodyPointer ? arbitraryFor(doc, bodyPointer) : fc.constant(undefined);
  const choices: fc.Arbitrary<Draft>[] = [];
  const bodyRejection = op.requestBody?.rejectedAs ?? {};
  const tag = (location: Location, s: NegativeSample, param?: ParamSpec) => ({
    location,
    kind: s.violation.kind,
    description: s.violation.description,
    pointer: s.violation.pointer,
    // Absent rather than undefined: the counterexample is printed as JSON.
    ...(s.violation.assumption ? { assumption: s.violation.assumption } : {}),
    // The spec names (x-rejected-as) the open question whose answer is the status: for a body,
    // type errors apart from broken rules; for a parameter, its own.
    rejectedAs: location === 'body' ? (TYPE_ERRORS.has(s.violation.kind) ? (bodyRejection.type ?? bodyRejection.rule) : bodyRejection.rule) : param?.rejectedAs,
  });
  if (bodyPointer) {
    const neg = negativeArbitraryFor(doc, bodyPointer, { assumptions });
    if (neg) choices.push(neg.map((s) => ({ body: s.value, query: {}, headers: {}, violation: tag('body', s) })));
  }
  // A parameter the target reads only under some answers (x-honoured-when) is no mistake to get wrong elsewhere.
  for (const p of [...headerParams, ...queryParams].filter((x) => profile.surely(x.honouredWhen))) {
    const neg = negativeArbitraryFor(doc, p.schemaPointer, { assumptions });
    if (!neg) continue;
    const location = p.in === 'header' ? 'header' : 'query';
    choices.push(
      fc
        .tuple(validBody, neg.filter((s) => isWireable(s.value, location)))
        .map(([body, s]) => ({
          body,
          query: location === 'query' ? { [p.name]: asString(s.value) } : {},
          headers: location === 'header' ? { [p.name]: asString(s.value) } : {},
          violation: tag(location, { ...s, violation: { ...s.violation, description: `${p.name}: ${s.violation.description}` } }, p),
        })),
    );
  }
  for (const p of pathParams) {
    const neg = negativeArbitraryFor(doc, p.schemaPointer, { assumptions });
    if (!neg) continue;
    choices.push(
      fc
        .tuple(validBody, neg.filter((s) => typeof s.value === 'string' && s.value !== ''))
        .map(([body, s]) => ({
          body,
          query: {},
          headers: {},
          path: { name: p.name, value: s.value as string },
          violation: tag('path', { ...s, violation: { ...s.violation, description: `${p.name}: ${s.violation.description}` } }, p),
        })),
    );
  }
  return choices.length ? fc.oneof(...choices) : undefined;
}

/**
 * A non-empty value that a header or query string carries unchanged. Header values lose leading
 * and trailing whitespace on the wire (RFC 9110 §5.5), and curl drops a header whose value is
 * blank, so such a value would be neither what was sent nor what the reproduction sends.
 */
function isWireable(v: unknown, location: 'header' | 'query'): boolean {
  if (typeof v !== 'string' || v === '' || !/^[\x20-\x7e]*$/.test(v)) return false;
  return location === 'query' || v === v.trim();
}

function defined(o: Wire): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The top-level body key a violation sits under (`/email/0` -> `email`). */
function topKey(pointer: string): string | undefined {
  const first = pointer.split('/')[1];
  return first ? unescapeToken(first) : undefined;
}

/** A wire value (header, query, path) as its schema reads it: a number or boolean where it says so. */
function wireValue(p: ParamSpec, raw: string): unknown {
  const t = p.schema?.type;
  if ((t === 'integer' || t === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (t === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/**
 * Why a stored request (a regression's draft) no longer means what it did under the current spec,
 * or undefined when it still does: a valid request must still be valid, an invalid one still break
 * the rule it was made to break, and every parameter it sends must still be the operation's.
 */
export function staleDraft(draft: Draft, op: Operation, validators: Validators): string | undefined {
  const params = new Map(op.params.map((p) => [`${p.in}:${p.name}`, p]));
  const broken = draft.violation;
  const sent: [string, string, string][] = [
    ...Object.entries(draft.query).map(([k, v]): [string, string, string] => ['query', k, v]),
    ...Object.entries(draft.headers).map(([k, v]): [string, string, string] => ['header', k, v]),
    ...(draft.path ? [['path', draft.path.name, draft.path.value] as [string, string, string]] : []),
  ];
  for (const [where, name, raw] of sent) {
    const p = params.get(`${where}:${name}`) ?? (where === 'header' ? [...params.values()].find((x) => x.in === 'header' && x.name.toLowerCase() === name.toLowerCase()) : undefined);
    if (!p) return `the ${where} parameter ${name} is no longer in ${op.id}`;
    const valid = validators.check(p.schemaPointer, wireValue(p, raw)).length === 0;
    const meantInvalid = broken !== undefined && broken.location === where && broken.description.startsWith(`${name}:`);
    if (valid === meantInvalid) return `${where} ${name}=${JSON.stringify(raw)} is ${valid ? 'now valid' : 'no longer valid'}`;
  }
  if (draft.body !== undefined && !op.requestBody) return `${op.id} no longer takes a body`;
  if (op.requestBody && draft.body !== undefined) {
    const issues = validators.check(op.requestBody.schemaPointer, draft.body);
    const meantInvalid = broken?.location === 'body';
    if (meantInvalid && !issues.length) return `the body it sends is now valid (it was to break: ${broken.description})`;
    if (!meantInvalid && issues.length) return `the body it sends is no longer valid (${issues[0].message})`;
  }
  return undefined;
}

export interface Materialised {
  parts: RequestParts;
  intent: Intent;
  /** Why the draft cannot be sent as intended (fixing run-specific values undid its validity). */
  unusable?: string;
}

/**
 * Combines a draft with the plan's live ids and run-specific values, then re-validates the body:
 * a positive request must still be valid and a negative one still invalid, so a report never
 * blames the server for the generator's mistake.
 */
export function materialise(draft: Draft, plan: Plan, op: Operation, validators: Validators, unique: () => string): Materialised {
  let body = draft.body;
  if (plan.fixBody && body && typeof body === 'object' && !Array.isArray(body)) {
    const fixed: Record<string, unknown> = plan.fixBody(body as Record<string, unknown>);
    // The violated field keeps its invalid value (or stays missing): the fix must not undo it.
    const key = draft.violation?.location === 'body' ? topKey(draft.violation.pointer) : undefined;
    if (key) {
      if (key in (body as object)) fixed[key] = (body as Record<string, unknown>)[key];
      else delete fixed[key];
    }
    body = fixed;
  }
  const headers = { ...draft.headers };
  // A header the server remembers (`x-unique-per-request`: an idempotency key) would make a shrunk
  // re-run, or another worker, replay an earlier request: its valid values are made unique.
  for (const p of op.params) {
    if (!p.uniquePerRequest || headers[p.name] === undefined || draft.violation?.description.startsWith(`${p.name}:`)) continue;
    headers[p.name] = `${headers[p.name].slice(0, 200)}_${unique()}`;
  }
  const params = { ...plan.params, ...(draft.path ? { [draft.path.name]: draft.path.value } : {}) };
  const parts: RequestParts = { params, query: draft.query, headers, credential: plan.credential, body };

  const intent: Intent = draft.violation
    ? { kind: 'negative', location: draft.violation.location, violation: `${draft.violation.kind}: ${draft.violation.description}`, rejectedAs: draft.violation.rejectedAs, assumption: draft.violation.assumption }
    : { kind: 'positive' };
  let unusable: string | undefined;
  if (op.requestBody && (draft.violation === undefined || draft.violation.location === 'body')) {
    const valid = validators.check(op.requestBody.schemaPointer, body).length === 0;
    if (draft.violation ? valid : !valid) unusable = draft.violation ? 'the run-specific values made the invalid body valid' : 'the run-specific values made the body invalid';
  }
  return { parts, intent, unusable };
}
