import fc from 'fast-check';
import type { Recorded } from '../../checks/types';
import { arbitraryFor, negativeArbitraryFor } from '../../model/arbitraries';
import { BAD_FORMATS } from '../../model/arbitraries/formats';
import { forbiddenTogether } from '../../model/arbitraries/schema';
import type { Operation, ParamSpec } from '../../model/spec/load';
import { escapeToken, followRefs, type Node, valueAt } from '../../model/spec/pointer';
import { unknownCredential } from '../../target/credentials';
import type { Target } from '../../target/target';
import type { SuiteEnv } from '../env';
import { type Plan, planFor } from '../generation/plan';
import { discoverRoleIds } from '../roles';

export type Suite = (op: Operation, env: SuiteEnv) => Promise<void>;

async function plan(op: Operation, env: SuiteEnv): Promise<Plan> {
  return planFor(op, { sb: env.sb, world: env.world, roleIds: await discoverRoleIds(env.target) });
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Samples are drawn with a fixed seed: the example suites send the same requests every run. */
const SAMPLE_SEED = 17;

const dataOf = (rec: Recorded) => valueAt(rec.exchange.response.json, '/data');

/** A valid request gets a conforming 2xx. */
const valid: Suite = async (op, env) => {
  const p = await plan(op, env);
  const rec = await env.send(op, { params: p.params, credential: p.credential, body: op.requestBody ? (p.example ?? {}) : undefined }, { kind: 'positive' });
  if (rec.exchange.response.status < 300) p.onCreated?.(dataOf(rec));
  // The organization-scoped Basic key, where one is configured: read-only routes that need no id.
  const orgKey = env.target.orgBasic;
  if (orgKey && op.method === 'get' && op.credentials.includes('org_basic') && !Object.keys(p.params).length) {
    await env.send(op, { credential: orgKey }, { kind: 'positive' });
  }
};

/** No credential and an unknown token get 401; a valid key of the wrong kind is refused. */
const credentials: Suite = async (op, env) => {
  const p = await plan(op, env);
  const body = op.requestBody ? (p.example ?? {}) : undefined;
  const wrongKind = op.credentials.includes('partner') ? env.world.userKey : env.target.partner;
  await env.send(op, { params: p.params, body }, { kind: 'auth', credential: 'none' });
  await env.send(op, { params: p.params, body, credential: unknownCredential() }, { kind: 'auth', credential: 'unknown' });
  // Read-only runs without an organization key have no valid key of the other kind.
  if (wrongKind.secret) await env.send(op, { params: p.params, body, credential: wrongKind }, { kind: 'auth', credential: 'wrong_kind' });
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
    cases.push([`missing required ${field}`, rest, rejectedAs.rule], [`${field} is a number`, { ...example, [field]: 42 }, typeError]);
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
  for (const [violation, body, rule, assumption] of cases) {
    const rec = await env.send(op, { params: p.params, credential: p.credential, body: JSON.parse(JSON.stringify(body)) }, { kind: 'negative', location: 'body', violation, rejectedAs: rule, assumption });
    // A server that wrongly accepts the body created something: clean it up all the same.
    if (rec.exchange.response.status < 300) p.onCreated?.(dataOf(rec));
  }
  await env.send(op, { params: p.params, credential: p.credential, rawBody: '{"unterminated": ' }, { kind: 'negative', location: 'body', violation: 'malformed JSON', rejectedAs: rejectedAs.syntax });
};

/** A bad body: what it breaks, the body, the question naming its status, and the assumption it rests on. */
type BodyCase = [string, unknown, string | undefined, string?];

/** A value as long as `length`, keeping what the run put in it (its marker): padded inside an email's local part. */
function padded(value: string, length: number, format?: string): string {
  const at = format === 'email' ? value.lastIndexOf('@') : -1;
  const fill = 'x'.repeat(Math.max(0, length - value.length));
  return at > 0 ? `${value.slice(0, at)}${fill}${value.slice(at)}` : `${value}${fill}`.slice(0, length);
}

/**
 * One case per string constraint of a body field - shorter than its minimum, longer than its
 * maximum, not of its format, an array item not of its format - each breaking that constraint
 * alone (checked against the schema), and only where the target profile says the server enforces
 * it when no source states it.
 */
function stringCases(env: SuiteEnv, op: Operation, valid: Record<string, unknown>): BodyCase[] {
  const { doc } = env.target.spec;
  const { profile } = env.target.contracts;
  const body = op.requestBody!;
  const out: BodyCase[] = [];
  for (const [field, raw] of Object.entries(bodySchema(env.target, op).properties ?? {})) {
    const s = followRefs(doc, raw, '').node ?? {};
    const candidates: [string, string, unknown][] = [];
    // An array of formatted strings (ids, say) with one item that is not of the format.
    const items = s.items ? (followRefs(doc, s.items, '').node ?? {}) : undefined;
    if (items?.format && BAD_FORMATS[items.format]) candidates.push(['format', `${field} item not a valid ${items.format}`, [fc.sample(BAD_FORMATS[items.format], { seed: SAMPLE_SEED, numRuns: 1 })[0]]]);
    const base = valid[field];
    if (typeof base === 'string' && [].concat(s.type).includes('string' as never)) {
      if (s.minLength > 0) candidates.push(['minLength', `${field} shorter than ${s.minLength}`, 'x'.repeat(s.minLength - 1)]);
      if (s.maxLength !== undefined) candidates.push(['maxLength', `${field} longer than ${s.maxLength}`, padded(base, s.maxLength + 1, s.format)]);
      if (s.format && BAD_FORMATS[s.format]) candidates.push(['format', `${field} not a valid ${s.format}`, fc.sample(BAD_FORMATS[s.format], { seed: SAMPLE_SEED, numRuns: 1 })[0]]);
    }
    for (const [keyword, violation, value] of candidates) {
      const assumption: string | undefined = s['x-assumptions']?.[keyword];
      if (assumption && !profile.only(assumption, 'enforced')) continue;
      const bad = { ...valid, [field]: value };
      const issues = env.target.validators.check(body.schemaPointer, bad);
      if (issues.length && issues.every((i) => i.keyword === keyword)) out.push([violation, bad, body.rejectedAs.rule, assumption]);
    }
  }
  return out;
}

const without = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** Well-formed ids that name nothing get the not-found answer, never data or a 5xx. */
const unknownIds: Suite = async (op, env) => {
  const p = await plan(op, env);
  for (const name of Object.keys(p.params)) {
    await env.send(op, { params: { ...p.params, [name]: UNKNOWN_ID }, credential: p.credential, body: op.requestBody ? p.example : undefined }, { kind: 'not_found', param: name });
  }
};

/** The request body schema of an operation, its `$ref`s followed. */
function bodySchema(target: Target, op: Operation): { required?: string[]; properties?: Record<string, Node>; not?: Node } {
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
