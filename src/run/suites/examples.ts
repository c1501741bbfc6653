import fc from 'fast-check';
import type { Recorded } from '../../checks/types';
import { arbitraryFor, negativeArbitraryFor } from '../../model/arbitraries';
import { BAD_FORMATS } from '../../model/arbitraries/formats';
import { forbiddenTogether } from '../../model/arbitraries/schema';
import type { Operation, ParamSpec } from '../../model/spec/load';
import { assumptionOf } from '../../model/spec/fields';
import { resourcesOf } from '../../model/spec/resources';
import { escapeToken, followRefs, type Node } from '../../model/spec/pointer';
import { unknownCredential } from '../../target/credentials';
import type { Target } from '../../target/target';
import type { SuiteEnv } from '../env';
import { credentialPreference, type Plan, planFor, positiveWith, schemeOf, scopeKind, usable } from '../generation/plan';

export type Suite = (op: Operation, env: SuiteEnv) => Promise<void>;

const plan = (op: Operation, env: SuiteEnv, opts?: Parameters<typeof planFor>[2]): Promise<Plan> => planFor(op, env.world, opts);

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Samples are drawn with a fixed seed: the example suites send the same requests every run. */
const SAMPLE_SEED = 17;

/** Sends a plan's request and settles it (what a 2xx created is recorded for cleanup). */
async function sendPlanned(env: SuiteEnv, p: Plan, parts: Parameters<SuiteEnv['send']>[1], intent: Parameters<SuiteEnv['send']>[2]): Promise<Recorded> {
  const rec = await env.send(p.op, { params: p.params, credential: p.credential, ...parts }, intent);
  p.settle(rec.exchange);
  return rec;
}

/**
 * A valid request gets a conforming 2xx; reads are also sent with every other kind of credential
 * the operation accepts and the target profile says works.
 */
const valid: Suite = async (op, env) => {
  const p = await plan(op, env);
  await sendPlanned(env, p, { body: op.requestBody ? (p.example ?? {}) : undefined }, { kind: 'positive' });
  if (op.method !== 'get' || env.target.config.readOnly) return;
  const { spec, contracts } = env.target;
  for (const kind of credentialPreference(env.target).filter((k) => k !== p.credential.kind && op.credentials.includes(k) && usable(spec, contracts.profile, k))) {
    const other = await plan(op, env, { target: p.target, credential: kind });
    await sendPlanned(env, other, {}, positiveWith(spec, kind));
  }
};

/**
 * No credential and an unknown token get 401; a valid key of a kind the operation does not
 * accept is refused (a user key before an organization-scoped one: the kind a real caller holds).
 */
const credentials: Suite = async (op, env) => {
  const p = await plan(op, env);
  const body = op.requestBody ? (p.example ?? {}) : undefined;
  await env.send(op, { params: p.params, body }, { kind: 'auth', credential: 'none' });
  await env.send(op, { params: p.params, body, credential: unknownCredential() }, { kind: 'auth', credential: 'unknown' });
  // Of the kinds this run can send, a minted key first, then a scoped one, then its own: the kind a real caller holds.
  const wrong = credentialPreference(env.target)
    .reverse()
    .find((k) => !op.credentials.includes(k));
  // Read-only runs mint no key.
  if (!wrong || (schemeOf(env.target.spec, wrong)?.mintedBy && env.target.config.readOnly)) return;
  const scope = p.scope ?? (await env.world.instance(scopeKind(env.target.spec) ?? ''));
  await env.send(op, { params: p.params, body, credential: await env.world.credential(wrong, scope) }, { kind: 'auth', credential: 'wrong_kind' });
};

/**
 * A value the parameter's schema rejects as it arrives: a string, read as a boolean or a number
 * where the schema wants one (as a server decodes query and header values).
 */
function badValue(env: SuiteEnv, param: ParamSpec): string | undefined {
  const neg = negativeArbitraryFor(env.target.spec.doc, param.schemaPointer);
  if (!neg) return undefined;
  const validate = env.target.validators.at(param.schemaPointer);
  const decoded = (v: string) => (param.schema?.type === 'boolean' && /^(true|false)$/.test(v) ? v === 'true' : /^(integer|number)$/.test(param.schema?.type) && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
  const wireable = neg
    .map((x) => (typeof x.value === 'string' ? x.value : JSON.stringify(x.value)))
    .filter((v) => v !== '' && v === v.trim() && /^[\x21-\x7e]+$/.test(v) && !validate(decoded(v)));
  return fc.sample(wireable, { seed: SAMPLE_SEED, numRuns: 1 })[0];
}

/** Every path, query and header parameter with a malformed value, one at a time: the status the spec's x-rejected-as names. */
const malformed: Suite = async (op, env) => {
  const p = await plan(op, env);
  const base = { params: p.params, credential: p.credential, body: op.requestBody ? p.example : undefined };
  for (const param of op.params.filter((x) => env.target.contracts.profile.surely(x.honouredWhen))) {
    const value = badValue(env, param);
    if (value === undefined) continue;
    const intent = { kind: 'negative', location: param.in, violation: `${param.name} is ${JSON.stringify(value)}`, rejectedAs: param.rejectedAs } as const;
    const parts = param.in === 'path' ? { ...base, params: { ...p.params, [param.name]: value } } : param.in === 'query' ? { ...base, query: { [param.name]: value } } : { ...base, headers: { [param.name]: value } };
    await env.send(op, parts, intent);
  }
};

/**
 * Each rule of the body schema broken once: not an object, a required field missing or of the
 * wrong type, an array under its minimum, two fields that may not go together; then malformed
 * JSON. The statuses are those the spec's x-rejected-as names.
 */
const invalidBodies: Suite = async (op, env) => {
  if (!op.requestBody) return;
  const p = await plan(op, env);
  const example = p.example ?? {};
  const { rejectedAs } = op.requestBody;
  const schema = bodySchema(env.target, op);
  const props: Record<string, Node> = schema.properties ?? {};
  const typeError = rejectedAs.type ?? rejectedAs.rule;
  const cases: BodyCase[] = [['body is not an object', ['not', 'an', 'object'], typeError]];
  for (const field of schema.required ?? []) {
    const { [field]: _drop, ...rest } = example;
    cases.push([`missing required ${field}`, rest, rejectedAs.rule, assumptionOf(schema, 'required', field)], [`${field} is a number`, { ...example, [field]: 42 }, typeError]);
  }
  for (const [field, sub] of Object.entries(props)) {
    const min = followRefs(env.target.spec.doc, sub, '').node?.minItems;
    if (min > 0) cases.push([`${field} has fewer than ${min} items`, { ...without(example, forbiddenTogether(schema) ?? []), [field]: [] }, rejectedAs.rule]);
  }
  cases.push(...stringCases(env, op, p.fixBody ? p.fixBody({ ...example }) : example));
  const apart = forbiddenTogether(schema);
  if (apart) {
    const { at: pointer } = followRefs(env.target.spec.doc, { $ref: op.requestBody.schemaPointer }, op.requestBody.schemaPointer);
    const together = Object.fromEntries(apart.map((k) => [k, fc.sample(arbitraryFor(env.target.spec.doc, `${pointer}/properties/${escapeToken(k)}`), { seed: SAMPLE_SEED, numRuns: 1 })[0]]));
    cases.push([`${apart.join(' together with ')}`, p.fixBody ? p.fixBody({ ...example, ...together }) : { ...example, ...together }, rejectedAs.rule]);
  }
  const { profile } = env.target.contracts;
  const route = resourcesOf(env.target.spec).routeOf.get(op.id);
  const marker = route && (route.role === 'create' || route.role === 'update') ? route.resource.marker : undefined;
  for (const [violation, body, rule, assumption] of cases) {
    // A constraint no source states is broken only where the profile says what the server does
    // with it: a mistake where it is enforced, a valid request where it is not.
    if (assumption && !profile.only(assumption, 'enforced') && !profile.only(assumption, 'not_enforced')) continue;
    const valid = assumption !== undefined && profile.only(assumption, 'not_enforced');
    // What the server will make must carry the run's name, or the run could not tell it for its own.
    if (valid && marker && !String((body as Record<string, unknown>)[marker] ?? '').toLowerCase().startsWith(env.target.config.runId)) continue;
    const intent = valid ? ({ kind: 'positive', assumption } as const) : ({ kind: 'negative', location: 'body', violation, rejectedAs: rule, assumption } as const);
    // A server that wrongly accepts the body created something: settling records it for cleanup all the same.
    await sendPlanned(env, p, { body: JSON.parse(JSON.stringify(body)) }, intent);
  }
  await sendPlanned(env, p, { rawBody: '{"unterminated": ' }, { kind: 'negative', location: 'body', violation: 'malformed JSON', rejectedAs: rejectedAs.syntax });
};

/** A bad body: what it breaks, the body, the question naming its status, and the assumption it rests on. */
type BodyCase = [string, unknown, string | undefined, string?];

/** A value as long as `length`, keeping what the run put in it (its marker): padded inside an email's local part. */
function padded(value: string, length: number, format?: string): string {
  const at = format === 'email' ? value.lastIndexOf('@') : -1;
  const fill = 'x'.repeat(Math.max(0, length - value.length));
  return at > 0 ? `${value.slice(0, at)}${fill}${value.slice(at)}` : `${value}${fill}`.slice(0, length);
}

/** A copy of `value` with the value at `path` (keys and array indexes) replaced. */
function setAt(value: unknown, path: (string | number)[], next: unknown): unknown {
  if (!path.length) return next;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, next) : v));
  return { ...(value as Record<string, unknown>), [head]: setAt((value as Record<string, unknown>)[head as string], rest, next) };
}

/**
 * One case per constraint of a string in the body, however deep (a field, an item of a list, a
 * field of an item): shorter than its minimum, longer than its maximum, not of its format, not
 * one of its values. Each breaks that constraint alone (checked against the schema).
 */
function stringCases(env: SuiteEnv, op: Operation, valid: Record<string, unknown>): BodyCase[] {
  const { doc } = env.target.spec;
  const body = op.requestBody!;
  const out: BodyCase[] = [];
  const walk = (value: unknown, raw: Node, path: (string | number)[]): void => {
    const s = followRefs(doc, raw, '').node ?? {};
    if (Array.isArray(value)) {
      if (value.length && s.items) walk(value[0], s.items, [...path, 0]);
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, sub] of Object.entries<Node>(s.properties ?? {})) if (k in value) walk((value as Record<string, unknown>)[k], sub, [...path, k]);
      return;
    }
    if (typeof value !== 'string') return;
    const where = path.map((x) => (typeof x === 'number' ? `item ${x + 1}` : x)).join(' ');
    const candidates: [string, string, unknown][] = [];
    if (s.minLength > 0) candidates.push(['minLength', `${where} shorter than ${s.minLength}`, 'x'.repeat(s.minLength - 1)]);
    if (s.maxLength !== undefined) candidates.push(['maxLength', `${where} longer than ${s.maxLength}`, padded(value, s.maxLength + 1, s.format)]);
    if (s.format && BAD_FORMATS[s.format]) candidates.push(['format', `${where} not a valid ${s.format}`, fc.sample(BAD_FORMATS[s.format], { seed: SAMPLE_SEED, numRuns: 1 })[0]]);
    if (Array.isArray(s.enum)) candidates.push(['enum', `${where} not one of ${s.enum.join(', ')}`, 'not_a_known_value']);
    for (const [keyword, violation, bad] of candidates) {
      const assumption = assumptionOf(s, keyword);
      const broken = setAt(valid, path, bad);
      const issues = env.target.validators.check(body.schemaPointer, broken);
      if (issues.length && issues.every((i) => i.keyword === keyword)) out.push([violation, broken, body.rejectedAs.rule, assumption]);
    }
  };
  walk(valid, { $ref: body.schemaPointer }, []);
  return out;
}

const without = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** Well-formed ids that name nothing get the not-found answer, never data or a 5xx. */
const unknownIds: Suite = async (op, env) => {
  const p = await plan(op, env);
  for (const name of Object.keys(p.params)) {
    await sendPlanned(env, p, { params: { ...p.params, [name]: UNKNOWN_ID }, body: op.requestBody ? p.example : undefined }, { kind: 'not_found', param: name });
  }
};

/** The request body schema of an operation, its `$ref`s followed. */
function bodySchema(target: Target, op: Operation): Node {
  return followRefs(target.spec.doc, { $ref: op.requestBody!.schemaPointer }, '').node ?? {};
}

export const EXAMPLE_SUITES = { valid, credentials, malformed, invalidBodies, unknownIds } satisfies Record<string, Suite>;
export type ExampleSuiteName = keyof typeof EXAMPLE_SUITES;

/**
 * Every method a path does not declare is refused (PATCH on the update routes above all, as the
 * old docs showed). Ids are the run's own, so a server that wrongly implements a method changes
 * only what the run created; a path without ids (a collection) is never sent PUT, PATCH or
 * DELETE, which a server that wrongly implemented them would apply to everything in it.
 */
export async function probeMethods(path: string, env: SuiteEnv): Promise<void> {
  const declared = env.target.spec.methodsByPath.get(path) ?? [];
  const sibling = env.target.spec.operations.find((o) => o.path === path)!;
  const p = await plan(sibling, env);
  const put = env.target.spec.operations.find((o) => o.path === path && o.method === 'put');
  const putBody = put ? (await plan(put, env)).example : undefined;
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    if (declared.includes(method) || (!path.includes('{') && method !== 'get' && method !== 'post')) continue;
    const body = method === 'get' || method === 'delete' ? undefined : (putBody ?? {});
    const req = { params: p.params, credential: p.credential, body };
    await env.send({ method, path }, req, { kind: 'method_probe' });
  }
}
