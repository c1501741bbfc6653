import { effectiveConfig } from '../../model/config';
import { UserError } from '../../model/errors';
import { evaluate } from '../../checks/registry';
import { loadContracts } from '../../model/contracts';
import type { HttpResponse } from '../../target/http';
import { secrets } from '../../target/redact';
import { DEFAULT_SPEC, loadSpec } from '../../model/spec/load';
import { EMBEDDED_KEYS, startEmbeddedMock } from '../embedded';
import { validatorsFor } from '../../model/validators';
import { installSdk } from './install';
import { type Recorded, startProxy } from './proxy';
import { validateRequest } from './request-validator';

export interface GateFinding {
  rule: string;
  blocking: boolean;
  message: string;
}

export interface GateReport {
  sdk: string;
  version: string;
  verdict: 'PASS' | 'BLOCK';
  findings: GateFinding[];
  methods: { name: string; outcome: string }[];
  coverage: { covered: string[]; missing: string[] };
  requests: number;
}

export interface GateOptions {
  sdk: string;
  target?: string;
  partnerKey?: string;
  version?: string;
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** What an SDK method returns, as far as the gate reads it. */
interface SdkAnswer {
  data?: { id?: string; email?: string; role_ids?: unknown } | null;
}

/** What an SDK throws, as far as the gate reads it. */
type SdkError = { statusCode?: number; constructor?: { name?: string } } | undefined;

/** Runs an SDK's every method through a recording proxy and judges both sides. */
export async function runGate(opts: GateOptions): Promise<GateReport> {
  const installed = installSdk(opts.sdk);
  const spec = loadSpec(DEFAULT_SPEC);
  const validators = validatorsFor(spec).warm();
  const contracts = loadContracts();
  const mock = opts.target ? undefined : (await startEmbeddedMock()).mock;
  const target = opts.target ?? mock!.url;
  // The embedded mock takes only its own key: one exported for a live target is not for it.
  const partnerKey = opts.target ? opts.partnerKey : EMBEDDED_KEYS.partner;
  if (!partnerKey) throw new UserError('POLYTOMIC_PARTNER_KEY is not set; --target needs the partner key of that target');
  secrets.add(partnerKey, 'POLYTOMIC_PARTNER_KEY');
  const proxy = await startProxy(target);
  const findings: GateFinding[] = [];
  const methods: GateReport['methods'] = [];
  const deliberate = new Set<number>();
  const sdk = require(installed.modulePath);
  const make = (token: string) => new sdk.PolytomicClient({ token, environment: proxy.url, ...(opts.version ? { version: opts.version } : {}) });
  const partner = make(partnerKey);
  const ro = { maxRetries: 0 };
  const last = () => proxy.log[proxy.log.length - 1];
  const call = async (name: string, fn: () => Promise<unknown>) => {
    const before = proxy.log.length;
    try {
      const value = await fn();
      const r = proxy.log[proxy.log.length - 1];
      // Envelopes come back as the JSON the server sent.
      if (proxy.log.length > before && r.responseBody && JSON.stringify(value) !== JSON.stringify(JSON.parse(r.responseBody))) {
        findings.push({ rule: 'envelope_altered', blocking: true, message: `${name}: the SDK returned something other than the body it received` });
      }
      methods.push({ name, outcome: 'ok' });
      return value as SdkAnswer | undefined;
    } catch (e) {
      const err = e as SdkError;
      methods.push({ name, outcome: `threw ${err?.constructor?.name} ${err?.statusCode ?? ''}`.trim() });
      return undefined;
    }
  };
  try {
    const has = (res: string, m: string) => typeof partner[res]?.[m] === 'function';
    const pick = (res: string, ...names: string[]) => names.find((n) => has(res, n));
    // Organizations.
    const orgName = `ct-sdkgate-${Date.now()}`;
    const created = await call('organization.create', () => partner.organization.create({ name: orgName }, ro));
    const orgId: string = created?.data?.id ?? UNKNOWN;
    if (has('organization', 'list')) await call('organization.list', () => partner.organization.list(ro));
    if (has('organization', 'get')) await call('organization.get', () => partner.organization.get(orgId, ro));
    if (has('organization', 'update')) await call('organization.update', () => partner.organization.update(orgId, { name: `${orgName}-2` }, ro));
    // Users, and the argument order of get/update/remove, which flips between 1.x releases.
    const user = (await call('users.create', () => partner.users.create(orgId, { email: `${orgName}@example.com` }, ro)))?.data;
    const userId: string = user?.id ?? UNKNOWN;
    await call('users.list', () => partner.users.list(orgId, ro));
    let idFirst = true;
    if (has('users', 'get')) {
      await call('users.get', () => partner.users.get(userId, orgId, ro));
      idFirst = last()?.path === `/api/organizations/${orgId}/users/${userId}`;
    }
    const ids = (a: string, b: string) => (idFirst ? [a, b] : [b, a]);
    if (has('users', 'get')) {
      // The user was created without roles: its role_ids is null on the wire and must stay null.
      const got = await call('users.get', () => partner.users.get(...ids(userId, orgId), ro));
      if (got?.data && got.data.role_ids !== null) findings.push({ rule: 'null_lost', blocking: true, message: 'users.get: a null role_ids did not survive' });
    }
    if (has('users', 'update')) await call('users.update', () => partner.users.update(...ids(userId, orgId), { email: user?.email ?? 'x@example.com', role: 'admin' }, ro));
    if (has('users', 'createApiKey')) await call('users.createApiKey', () => partner.users.createApiKey(orgId, userId, { force: true }, ro));
    const userKey = proxy.log.map((r) => r.responseBody).map((b) => { try { return JSON.parse(b)?.data?.value; } catch { return undefined; } }).find((v) => typeof v === 'string');
    if (userKey) {
      secrets.add(userKey, 'USER_KEY');
      const me = make(userKey);
      for (const [res, m, args] of [['organization', 'getCurrent', []], ['users', 'listCurrentOrgUsers', []], ['users', 'getCurrentOrgUser', [userId]]] as [string, string, string[]][]) {
        if (typeof me[res]?.[m] === 'function') await call(`${res}.${m}`, () => me[res][m](...args, ro));
      }
    }
    // A null list survives.
    proxy.overrides.push({ method: 'GET', path: /\/users$/, status: 200, body: '{"data":null}' });
    const nullList = await partner.users.list(orgId, ro).catch(() => undefined);
    if (!nullList || nullList.data !== null) findings.push({ rule: 'null_lost', blocking: true, message: 'users.list: {"data": null} did not come back as a null list' });
    // Documented error statuses surface as typed errors. These requests are wrong on purpose:
    // they are not held against the SDK.
    const probesFrom = proxy.log.length;
    for (const [what, fn, status, cls] of [
      ['organization.get of an unknown id', () => partner.organization.get(UNKNOWN, ro), 404, 'NotFoundError'],
      ['users.create without email', () => partner.users.create(orgId, {}, ro), 422, 'UnprocessableEntityError'],
    ] as [string, () => Promise<unknown>, number, string][]) {
      const err = (await fn().then(() => undefined, (e: unknown) => e)) as SdkError;
      if (!err || err.statusCode !== status || err.constructor?.name !== cls) {
        findings.push({ rule: 'typed_error', blocking: true, message: `${what}: expected ${cls} (${status}), got ${err ? `${err.constructor?.name} ${err.statusCode}` : 'no error'}` });
      }
    }
    for (let i = probesFrom; i < proxy.log.length; i++) deliberate.add(i);
    const remove = pick('users', 'delete', 'remove');
    if (remove) await call(`users.${remove}`, () => partner.users[remove](...ids(userId, orgId), ro));
    const removeOrg = pick('organization', 'delete', 'remove');
    if (removeOrg) await call(`organization.${removeOrg}`, () => partner.organization[removeOrg](orgId, ro));
  } finally {
    await proxy.close();
    await mock?.close();
  }

  const covered = new Set<string>();
  for (const [i, r] of proxy.log.entries()) {
    const { operation, findings: fs } = validateRequest(spec, validators, contracts, r);
    if (deliberate.has(i)) continue;
    if (operation) covered.add(operation.id);
    for (const f of fs) if (!findings.some((x) => x.message === f.message)) findings.push(f);
    if (operation) {
      const response = toResponse(r);
      for (const x of evaluate({ operation, request: { method: r.method, path: r.path, headers: r.headers }, response, intent: { kind: 'probe' } }, { spec, validators, contracts, config: effectiveConfig({ configFile: { config: {} }, maxResponseTimeMs: 5000 }, contracts.profile) })) {
        findings.push({ rule: `response:${x.check}`, blocking: false, message: `${operation.id}: ${x.message}` });
      }
    }
  }
  for (const f of findings) f.message = secrets.redactText(f.message);
  return {
    sdk: opts.sdk,
    version: installed.version,
    verdict: findings.some((f) => f.blocking) ? 'BLOCK' : 'PASS',
    findings,
    methods,
    coverage: { covered: [...covered].sort(), missing: spec.operations.map((o) => o.id).filter((id) => !covered.has(id)) },
    requests: proxy.log.length,
  };
}

function toResponse(r: Recorded): HttpResponse {
  let json: unknown;
  try {
    json = r.responseBody ? JSON.parse(r.responseBody) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.responseHeaders, text: r.responseBody, json, elapsedMs: 0 };
}
