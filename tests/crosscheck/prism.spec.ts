import { expect, test } from '@playwright/test';
import type { HttpResponse } from '../../src/target/http';
import { agrees, type DisagreementKind } from '../../src/run/crosscheck/compare';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { prismVerdict } from '../../src/run/crosscheck/prism';
import { crossCheck, type PrismMode } from '../../src/run/crosscheck/run';
import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import type { SuiteEnv } from '../../src/run/env';

/**
 * The independent cross-check: the suite run through Stoplight Prism's validating proxy in front
 * of the embedded mock. On the clean mock Prism finds nothing and the suite passes everything
 * Prism forwards; each kind of disagreement is shown to be reported when it happens.
 */
test.describe.configure({ mode: 'parallel' });

const response = (status: number, json: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, json, text: JSON.stringify(json), elapsedMs: 1 });

test.describe("reading Prism's verdict", () => {
  test('sl-violations are split into request and response violations; warnings are not violations', () => {
    const header = JSON.stringify([
      { location: ['request', 'body', 'name'], severity: 'Error', code: 'type', message: 'name must be string' },
      { location: ['response', 'body', 'data', 'id'], severity: 'Error', code: 'format', message: 'id must match format "uuid"' },
      { location: ['response', 'body'], severity: 'Warning', code: 'x', message: 'a warning' },
    ]);
    const v = prismVerdict(response(200, { data: {} }, { 'sl-violations': header }));
    expect(v.answeredByPrism).toBe(false);
    expect(v.request.map((x) => x.message)).toEqual(['name must be string']);
    expect(v.response.map((x) => x.message)).toEqual(['id must match format "uuid"']);
  });

  test('a 422 problem from --errors lists request violations without saying so', () => {
    const body = { type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', status: 422, validation: [{ location: ['path', 'id'], severity: 'Error', code: 'format', message: 'id must match format "uuid"' }] };
    const v = prismVerdict(response(422, body));
    expect(v).toMatchObject({ answeredByPrism: true, problem: 'UNPROCESSABLE_ENTITY', response: [] });
    expect(v.request[0].location).toEqual(['request', 'path', 'id']);
  });

  test("Prism's own answer to a body that is not JSON is recognised; the mock's 400 is not", () => {
    expect(prismVerdict(response(400, { error: { code: 'invalid_json', message: 'Invalid JSON' } })).problem).toBe('invalid_json');
    expect(prismVerdict(response(400, { key: 'invalid_json', status: 400 }, { 'x-polytomic-version': '2025-09-18' }), 'X-Polytomic-Version').answeredByPrism).toBe(false);
  });

  test('a header Prism cut short keeps the complete entries before the cut', () => {
    const entry = (i: number) => ({ location: ['response', 'body', 'data', String(i), 'id'], severity: 'Error', code: 'format', message: `data.${i}.id must match pattern "^[a-z]{8,255}$"},{"` });
    const full = JSON.stringify(Array.from({ length: 40 }, (_, i) => entry(i)));
    const v = prismVerdict(response(200, {}, { 'sl-violations': `Too many violations! ${full.slice(0, 1500)}` }));
    expect(v.truncated).toBe(true);
    expect(v.response.length).toBeGreaterThan(5);
    expect(v.response.every((x, i) => x.message === entry(i).message)).toBe(true);
  });
});

for (const mode of ['errors', 'observe'] as PrismMode[]) {
  test(`clean mock through prism proxy${mode === 'errors' ? ' --errors' : ''}: no violation, every negative seen by both, the suite passes all Prism forwards`, { tag: '@heavy' }, async () => {
    test.setTimeout(120_000);
    const r = await crossCheck(mode);
    expect(r.disagreements.slice(0, 5)).toEqual([]);
    expect(r.stepErrors).toEqual([]);
    expect(agrees(r)).toBe(true);
    expect(r.exchanges).toBeGreaterThan(1000);
    expect(r.negatives.sent).toBeGreaterThan(100);
    // Every negative is one Prism finds invalid too, or one a known Prism limitation hides from it.
    const hidden = r.explained.filter((d) => d.kind === 'invalid_request_unflagged').length;
    expect(r.negatives.flaggedByPrism + hidden).toBe(r.negatives.sent);
    expect(r.suiteChecksFailed).toEqual([]);
    // Prism answers only what it must refuse: never a request the suite meant as valid.
    for (const a of r.prismAnswers) expect(a.intents.filter((i) => i === 'positive' || i === 'probe'), `${a.problem}`).toEqual([]);
    if (mode === 'errors') expect(r.prismAnswers.map((a) => a.problem)).toEqual(expect.arrayContaining(['UNPROCESSABLE_ENTITY', 'UNAUTHORIZED', 'NO_METHOD_MATCHED_ERROR']));
    else expect(r.forwarded).toBe(r.exchanges - (r.prismAnswers.find((a) => a.problem === 'invalid_json')?.count ?? 0));
  });
}

/** One operation's example suite: enough to show a disagreement without the whole suite. */
const suite = (name: keyof typeof EXAMPLE_SUITES, opId: string) => async (env: SuiteEnv) => {
  await EXAMPLE_SUITES[name](env.target.spec.byId.get(opId)!, env);
};

const kinds = (r: { disagreements: { kind: DisagreementKind; operation: string }[] }) => r.disagreements.map((d) => `${d.kind} ${d.operation}`);

test('a mock answer the spec forbids is a response_violation, found by both Prism and the suite', { tag: '@heavy' }, async () => {
  const r = await crossCheck('observe', { faults: ['user_email_number'] }, suite('valid', 'users_get'));
  expect(kinds(r)).toContain('response_violation users_get');
  expect(r.disagreements.find((d) => d.kind === 'response_violation')!.prism[0]).toMatch(/data\.email must be string/);
  expect(r.suiteChecksFailed).toContain('response_schema_conformance');
  expect(agrees(r)).toBe(false);
});

test('a rule beyond the spec is a suite_only_finding: Prism forwards and passes it', { tag: '@heavy' }, async () => {
  const r = await crossCheck('observe', { faults: ['role_ids_omitted_when_null'] }, suite('valid', 'users_get'));
  // The sandbox's setup (a created user) shows the fault too.
  expect(kinds(r)).toContain('suite_only_finding users_get');
  expect(new Set(r.disagreements.map((d) => d.kind))).toEqual(new Set(['suite_only_finding']));
  expect(r.suiteChecksFailed).toEqual(['contract_nullable_role_ids']);
});

test("a request whose intent Prism contradicts is a disagreement: valid_request_rejected, invalid_request_unflagged", { tag: '@heavy' }, async () => {
  const r = await crossCheck('errors', {}, async (env) => {
    const op = env.target.spec.byId.get('organization_create')!;
    const credential = env.target.own;
    await env.send(op, { credential, body: { name: 42 } }, { kind: 'positive' });
    await env.send(op, { credential, body: { name: env.sb.uniqueName('org') } }, { kind: 'negative', location: 'body', violation: 'nothing, in truth', rejectedAs: 'validation_status' });
  });
  // The suite blames the mock for accepting the "negative": its intent was false, which is what Prism says.
  expect(kinds(r).sort()).toEqual(['invalid_request_unflagged organization_create', 'suite_only_finding organization_create', 'valid_request_rejected organization_create']);
  expect(r.prismAnswers.map((a) => `${a.status} ${a.problem} ${a.intents}`)).toEqual(['422 UNPROCESSABLE_ENTITY positive']);
});

test('known limitation null_body_dropped still holds: a JSON null body the mock rejects reaches it as no body through Prism', { tag: '@heavy' }, async () => {
  const sendNull = async (env: SuiteEnv) => {
    const op = env.target.spec.byId.get('users_createApiKey')!;
    const key = await env.world.instance('user');
    await env.send(op, { credential: env.target.own, params: { org_id: key.within!.id, id: key.id }, body: null }, { kind: 'negative', location: 'body', violation: 'null body', rejectedAs: 'validation_status' });
  };
  const direct = await runAgainstMock({}, sendNull);
  expect(direct.recorded.at(-1)!.exchange.response.status).toBe(422);
  const r = await crossCheck('observe', {}, sendNull);
  expect(r.disagreements).toEqual([]);
  expect(r.explained.map((d) => `${d.limitation} ${d.kind} ${d.status}`).sort()).toEqual(['null_body_dropped invalid_request_unflagged 200', 'null_body_dropped suite_only_finding 200']);
  expect(agrees(r)).toBe(true);
});
