import { evaluate } from '../checks/registry';
import type { CheckContext, Exchange, Finding, Intent } from '../checks/types';
import { readConfig, type RunConfig } from '../config';
import { type Contracts, loadContracts } from '../contracts/load';
import { HttpClient, type HttpRequest } from '../http/client';
import { loadSpec, type Operation, type Spec } from '../spec/load';
import { type Validators, validatorsFor } from '../validation/validators';
import { authHeaders, type Credential, credential } from './credentials';
import { Ledger } from './ledger';
import { DriftRecorder } from '../drift/recorder';

/** Default keys of the embedded mock (mock/server.ts); used only when the suite starts it. */
export const EMBEDDED_KEYS = {
  partner: 'poly_partner_main_key',
  foreignPartner: 'poly_partner_foreign_key',
  org: 'poly_org_seed_key',
};

/** Everything a worker needs to talk to the target and judge what it says. */
export interface Target {
  config: RunConfig;
  spec: Spec;
  validators: Validators;
  contracts: Contracts;
  ctx: CheckContext;
  client: HttpClient;
  partner: Credential;
  foreignPartner?: Credential;
  orgBasic?: Credential;
  ledger: Ledger;
  /** What the run saw, for the drift report (flushed by the worker fixture). */
  drift: DriftRecorder;
}

export function openTarget(worker: string, env: NodeJS.ProcessEnv = process.env): Target {
  const config = readConfig(env);
  if (!config.baseUrl) throw new Error('POLYTOMIC_BASE_URL is unset: the global setup starts the embedded mock and sets it');
  const spec = loadSpec(config.specPath);
  const validators = validatorsFor(spec).warm();
  const contracts = loadContracts(config.contractsDir);
  return {
    config,
    spec,
    validators,
    contracts,
    ctx: { spec, validators, contracts, maxResponseTimeMs: config.maxResponseTimeMs },
    client: new HttpClient(config.baseUrl, { rps: config.rps }),
    partner: credential('partner', config.partnerKey ?? EMBEDDED_KEYS.partner, 'POLYTOMIC_PARTNER_KEY'),
    foreignPartner: config.foreignPartnerKey ? credential('partner', config.foreignPartnerKey, 'POLYTOMIC_FOREIGN_PARTNER_KEY') : undefined,
    orgBasic: config.orgKey ? credential('org_basic', config.orgKey, 'POLYTOMIC_ORG_KEY') : undefined,
    ledger: new Ledger(config.runId, worker),
    drift: new DriftRecorder(),
  };
}

export interface RequestParts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  credential?: Credential;
  /** X-Polytomic-Version to send; `null` sends none. Default: the run's API version. */
  version?: string | null;
}

export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name) => {
    if (params[name] === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return encodeURIComponent(params[name]);
  });
}

/** A method and templated path, declared by the spec or not. */
export type Route = Pick<Operation, 'method' | 'path'>;

export function isOperation(r: Route): r is Operation {
  return 'responses' in r;
}

export function buildRequest(target: Target, op: Route, parts: RequestParts = {}): HttpRequest {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const version = parts.version === undefined ? target.config.apiVersion : parts.version;
  if (version !== null) headers['X-Polytomic-Version'] = version;
  Object.assign(headers, authHeaders(parts.credential), parts.headers);
  const hasBody = parts.body !== undefined || parts.rawBody !== undefined;
  if (hasBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return {
    method: op.method.toUpperCase(),
    path: fillPath(op.path, parts.params),
    query: parts.query,
    headers,
    body: parts.body,
    rawBody: parts.rawBody,
  };
}

export interface Recorded {
  exchange: Exchange;
  findings: Finding[];
}

/** Sends one request and judges every response it got (429s waited out included). */
export async function perform(target: Target, route: Route, request: HttpRequest, intent: Intent): Promise<Recorded> {
  const operation = isOperation(route) ? route : undefined;
  const { response, rateLimited } = await target.client.send(request);
  const findings: Finding[] = [];
  // A 429 that was waited out is judged for its headers, not for the outcome the intent expects.
  for (const r of rateLimited) findings.push(...evaluate({ operation, request, response: r, intent: { kind: 'probe' } }, target.ctx));
  const exchange: Exchange = { operation, request, response, intent };
  findings.push(...evaluate(exchange, target.ctx));
  target.drift.record(exchange, target.spec.doc);
  return { exchange, findings };
}
