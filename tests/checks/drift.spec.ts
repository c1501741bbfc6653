import { expect, test } from '@playwright/test';
import { evaluate } from '../../src/checks/registry';
import { headerMatcher, INFRASTRUCTURE_HEADERS } from '../../src/model/config-file';
import { Baseline } from '../../src/model/contracts';
import { buildDriftReport } from '../../src/run/report/drift';
import { DriftRecorder } from '../../src/checks/drift/recorder';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import { currentSpec } from '../../src/run/current';
import { openSession } from '../../src/run/session';

/**
 * Drift: an undocumented field and an undocumented status each fail with a drift finding; known
 * drift in the baseline is reported but passes until its entry expires; the clean mock has none.
 */
async function observe(fault: string | undefined, op: string) {
  return runAgainstMock({ faults: fault ? [fault] : [] }, (env) => EXAMPLE_SUITES.valid(env.target.spec.byId.get(op)!, env));
}

test('an undocumented field and an undocumented status are new drift with a proposed patch', async () => {
  const field = await observe('undocumented_field', 'users_get');
  const status = await observe('create_returns_201', 'users_create');
  const rec = new DriftRecorder(headerMatcher(INFRASTRUCTURE_HEADERS));
  const spec = currentSpec();
  for (const r of [...field.recorded, ...status.recorded]) rec.record(r.exchange, { doc: spec.doc });
  const report = buildDriftReport(spec, new Baseline([]), [rec.snapshot()]);
  const name = report.findings.find((f) => f.kind === 'undeclared_field' && f.pointer === '/data/name' && f.operation === 'users_get');
  expect(name).toMatchObject({ state: 'new', operation: 'users_get', breaking: false, patch: [{ op: 'add', path: '/components/schemas/User/properties/name' }] });
  const created = report.findings.find((f) => f.kind === 'undocumented_status' && f.status === 201 && f.operation === 'users_create');
  expect(created).toMatchObject({ state: 'new', operation: 'users_create' });
  expect(field.failedChecks.has('spec_drift')).toBe(true);
  expect(status.findings.some((f) => f.check === 'status_code_conformance' && f.driftKey === 'users_create 201 undocumented_status')).toBe(true);
});

test('baselined drift passes until its entry expires, then fails again', async () => {
  const r = await observe('undocumented_field', 'users_get');
  const ex = r.recorded.find((x) => x.findings.some((f) => f.check === 'spec_drift'))!.exchange;
  const key = r.findings.find((f) => f.check === 'spec_drift')!.driftKey!;
  const { ctx, record } = openSession('drift-test', { POLYTOMIC_BASE_URL: 'http://127.0.0.1:9', POLYTOMIC_PARTNER_KEY: 'k', CONFORMANCE_TARGET_PROFILE: 'embedded' });
  const known = { ...ctx, contracts: { ...ctx.contracts, baseline: new Baseline([{ key, owner: 'api-team', reason: 'name ships in the next spec', expires: '2999-01-01' }], '2026-11-22') } };
  const expired = { ...ctx, contracts: { ...ctx.contracts, baseline: new Baseline([{ key, owner: 'api-team', reason: 'late', expires: '2026-01-01' }], '2026-11-22') } };
  expect(evaluate(ex, known, record).filter((f) => f.check === 'spec_drift')).toEqual([]);
  expect(evaluate(ex, expired, record).find((f) => f.check === 'spec_drift')?.message).toMatch(/expired 2026-01-01/);
});

test('a baseline key reads as the finding prints it, and a pattern covers an operation or a family of them', async () => {
  const r = await observe('undocumented_field', 'users_get');
  const rec = r.recorded.find((x) => x.exchange.operation?.id === 'users_get' && x.findings.some((f) => f.check === 'spec_drift'))!;
  const ex = rec.exchange;
  expect(rec.findings.find((f) => f.check === 'spec_drift')!.driftKey).toBe('users_get 200 undeclared_field /data/name');
  const { ctx, record } = openSession('drift-test', { POLYTOMIC_BASE_URL: 'http://127.0.0.1:9', POLYTOMIC_PARTNER_KEY: 'k', CONFORMANCE_TARGET_PROFILE: 'embedded' });
  const under = (key: string) => ({ ...ctx, contracts: { ...ctx.contracts, baseline: new Baseline([{ key, owner: 'api-team', reason: 'known', expires: '2999-01-01' }], '2026-11-22') } });
  for (const key of ['users_* 200 undeclared_field /data/name', 'users_get *']) expect(evaluate(ex, under(key), record).filter((f) => f.check === 'spec_drift'), key).toEqual([]);
  for (const key of ['organization_* *', 'users_get 200 undeclared_field /data/other']) expect(evaluate(ex, under(key), record).filter((f) => f.check === 'spec_drift'), key).not.toEqual([]);
});

test('the clean mock shows no drift', async () => {
  const r = await observe(undefined, 'users_get');
  expect(r.findings).toEqual([]);
});
