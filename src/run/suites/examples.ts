import type { Operation } from '../../model/spec/load';
import { followRefs } from '../../model/spec/pointer';
import { unknownCredential } from '../../target/credentials';
import type { Target } from '../../target/target';
import type { SuiteEnv } from '../env';
import { type Plan, planFor } from '../generation/plan';
import { discoverRoleIds } from '../roles';

export type Suite = (op: Operation, env: SuiteEnv) => Promise<void>;

async function plan(op: Operation, env: SuiteEnv): Promise<Plan> {
  return planFor(op, { sb: env.sb, world: env.world, roleIds: await discoverRoleIds(env.target) });
}

const MALFORMED_ID = 'not-a-uuid';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A valid request (and, where the body takes one, a valid legacy `role`) gets a conforming 2xx. */
const valid: Suite = async (op, env) => {
  const p = await plan(op, env);
  const bodies: unknown[] = op.requestBody ? [p.example ?? {}] : [undefined];
  const schema = op.requestBody && env.target.spec.doc.components?.schemas?.LegacyRole;
  if (schema && p.example && 'role_ids' in p.example) {
    const { role_ids: _drop, ...rest } = p.example;
    bodies.push(p.fixBody ? p.fixBody({ ...rest, role: 'admin' }) : { ...rest, role: 'admin' });
  }
  for (const body of bodies) {
    const rec = await env.send(op, { params: p.params, credential: p.credential, body }, { kind: 'positive' });
    if (rec.exchange.response.status < 300) p.onCreated?.((rec.exchange.response.json as any)?.data);
  }
  // The organization-scoped Basic key, where one is configured: read-only routes that need no id.
  const orgKey = env.target.orgBasic;
  if (orgKey && op.method === 'get' && op.credentials.includes('org_basic') && !Object.keys(p.params).length) {
    await env.send(op, { credential: orgKey }, { kind: 'positive' });
  }
};

/** No credential and an unknown token get 401; a valid key of the wrong kind gets 403. */
const credentials: Suite = async (op, env) => {
  const p = await plan(op, env);
  const body = op.requestBody ? (p.example ?? {}) : undefined;
  const wrongKind = op.credentials.includes('partner') ? env.world.userKey : env.target.partner;
  await env.send(op, { params: p.params, body }, { kind: 'auth', credential: 'none' });
  await env.send(op, { params: p.params, body, credential: unknownCredential() }, { kind: 'auth', credential: 'unknown' });
  // Read-only runs without an organization key have no valid key of the other kind.
  if (wrongKind.secret) await env.send(op, { params: p.params, body, credential: wrongKind }, { kind: 'auth', credential: 'wrong_kind' });
};

/** Non-uuid path ids, an unsupported version and a malformed Idempotency-Key get the statuses choices.yaml names. */
const malformed: Suite = async (op, env) => {
  const p = await plan(op, env);
  const base = { params: p.params, credential: p.credential, body: op.requestBody ? p.example : undefined };
  for (const name of Object.keys(p.params)) {
    await env.send(op, { ...base, params: { ...p.params, [name]: MALFORMED_ID } }, { kind: 'negative', location: 'path', violation: `${name} is not a uuid`, rejectedAs: 'malformed_request_status' });
  }
  await env.send(op, { ...base, version: '1999-01-01' }, { kind: 'negative', location: 'header', violation: 'unsupported X-Polytomic-Version', rejectedAs: 'unsupported_version_status' });
  if (op.params.some((x) => x.name === 'Idempotency-Key')) {
    await env.send(op, { ...base, headers: { 'Idempotency-Key': 'short' } }, { kind: 'negative', location: 'header', violation: 'Idempotency-Key shorter than 8', rejectedAs: 'malformed_request_status' });
  }
};

/** Each body rule broken once: missing required field, role with role_ids, empty role_ids, wrong type, bad JSON. */
const invalidBodies: Suite = async (op, env) => {
  if (!op.requestBody) return;
  const p = await plan(op, env);
  const example = p.example ?? {};
  const roleIds = (await discoverRoleIds(env.target)).slice(0, 1);
  const cases: [string, unknown][] = [['body is not an object', ['not', 'an', 'object']]];
  const schema = bodySchema(env.target, op);
  for (const field of schema.required ?? []) {
    const { [field]: _drop, ...rest } = example;
    cases.push([`missing required ${field}`, rest], [`${field} is a number`, { ...example, [field]: 42 }]);
  }
  if (schema.properties && 'role_ids' in schema.properties) {
    cases.push(['empty role_ids', { ...example, role: undefined, role_ids: [] }]);
    cases.push(['role_ids item is not a uuid', { ...example, role: undefined, role_ids: ['admin'] }]);
    if (roleIds.length) cases.push(['role together with role_ids', { ...example, role: 'admin', role_ids: roleIds }]);
  }
  for (const [violation, body] of cases) {
    const rec = await env.send(op, { params: p.params, credential: p.credential, body: JSON.parse(JSON.stringify(body)) }, { kind: 'negative', location: 'body', violation, rejectedAs: 'validation_status' });
    // A server that wrongly accepts the body created something: clean it up all the same.
    if (rec.exchange.response.status < 300) p.onCreated?.((rec.exchange.response.json as any)?.data);
  }
  await env.send(op, { params: p.params, credential: p.credential, rawBody: '{"unterminated": ' }, { kind: 'negative', location: 'body', violation: 'malformed JSON', rejectedAs: 'malformed_request_status' });
};

/** Well-formed ids that name nothing get a documented status (404), never data or a 5xx. */
const unknownIds: Suite = async (op, env) => {
  const p = await plan(op, env);
  for (const name of Object.keys(p.params)) {
    await env.send(
      op,
      { params: { ...p.params, [name]: UNKNOWN_ID }, credential: p.credential, body: op.requestBody ? p.example : undefined },
      { kind: 'probe' },
    );
  }
};

/** The request body schema of an operation, its `$ref`s followed. */
function bodySchema(target: Target, op: Operation): { required?: string[]; properties?: Record<string, unknown> } {
  return followRefs(target.spec.doc, { $ref: op.requestBody!.schemaPointer }, '').node ?? {};
}

export const EXAMPLE_SUITES = { valid, credentials, malformed, invalidBodies, unknownIds } satisfies Record<string, Suite>;
export type ExampleSuiteName = keyof typeof EXAMPLE_SUITES;

/** Methods never probed on a path: they could touch what the run did not create on a server that wrongly implements them. */
const UNSAFE_PROBES: Record<string, string[]> = { '/api/organizations': ['put', 'delete'] };

/**
 * Every method a path does not declare gets 405 (PATCH on the update routes above all, as the old
 * docs showed). Ids are the run's own, so a server that wrongly implements a method changes only
 * what the run created.
 */
export async function probeMethods(path: string, env: SuiteEnv): Promise<void> {
  const declared = env.target.spec.methodsByPath.get(path) ?? [];
  const sibling = env.target.spec.operations.find((o) => o.path === path)!;
  const p = await plan(sibling, env);
  const put = env.target.spec.operations.find((o) => o.path === path && o.method === 'put');
  const putBody = put ? (await plan(put, env)).example : undefined;
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    if (declared.includes(method) || UNSAFE_PROBES[path]?.includes(method)) continue;
    const body = method === 'get' || method === 'delete' ? undefined : (putBody ?? {});
    const req = { params: p.params, credential: p.credential, body };
    await env.send({ method, path }, req, { kind: 'method_probe' });
  }
}
