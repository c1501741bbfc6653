import { effectiveConfig, readConfig, type RunConfig } from '../model/config';
import type { EffectiveConfig } from '../model/config-file';
import { type Contracts, loadContracts } from '../model/contracts';
import { loadSpec, type Operation, type Spec } from '../model/spec/load';
import { type Validators, validatorsFor } from '../model/validators';
import { actingOf, authHeaders, type Credential, keyCredential } from './credentials';
import { CONFIGURED_KEYS, type KeyName } from '../model/keys';
import type { RequestGate } from './gate';
import { HttpClient, type HttpRequest } from './http';
import { Ledger } from './ledger';

/** Everything a worker needs to talk to the target. */
export interface Target {
  config: RunConfig;
  /** The strictness the run applies (defaults, target profile, configuration file, environment). */
  effective: EffectiveConfig;
  spec: Spec;
  validators: Validators;
  contracts: Contracts;
  client: HttpClient;
  /** The run's own key, acting in no instance: the partner key (Bearer), or on-premises the deployment key (Basic). */
  own: Credential;
  /** Every key the run was given, each as it is sent on its own (its own key among them): what identity is checked for. */
  keys: Credential[];
  foreignPartner?: Credential;
  ledger: Ledger;
}

/** The run's own key as it is sent on its own (see `Target.own`). */
export function ownCredential(config: RunConfig, spec: Spec): Credential {
  return keyCredential(spec, config.ownKey, config.keys[config.ownKey] ?? '', CONFIGURED_KEYS[config.ownKey]);
}

/** A worker's view of the target; `gate` paces its requests with the rest of the run's (default: its own rate cap). */
export function openTarget(worker: string, env: NodeJS.ProcessEnv = process.env, gate?: RequestGate): Target {
  const config = readConfig(env);
  const ownKey = config.keys[config.ownKey];
  if (!config.baseUrl || !ownKey) throw new Error('POLYTOMIC_BASE_URL or a key is unset: the global setup starts the embedded mock and sets them');
  const spec = loadSpec(config.specPath);
  const validators = validatorsFor(spec).warm();
  const contracts = loadContracts(config.contractsDir, config.profileName);
  return {
    config,
    effective: effectiveConfig(config, contracts.profile),
    spec,
    validators,
    contracts,
    // Requests carrying the spec's idempotency key (a header unique per request) may be sent twice.
    client: new HttpClient(config.baseUrl, { rps: config.rps, gate, replaySafeHeaders: [...new Set(spec.operations.flatMap((o) => o.params.filter((p) => p.in === 'header' && p.uniquePerRequest).map((p) => p.name)))] }),
    own: ownCredential(config, spec),
    keys: (Object.keys(config.keys) as KeyName[]).map((k) => (k === config.ownKey ? ownCredential(config, spec) : keyCredential(spec, k, config.keys[k]!, CONFIGURED_KEYS[k]))),
    foreignPartner: config.foreignPartnerKey ? keyCredential(spec, 'partner', config.foreignPartnerKey, 'POLYTOMIC_FOREIGN_PARTNER_KEY') : undefined,
    ledger: new Ledger(config.runId, worker),
  };
}

export interface RequestParts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  credential?: Credential;
  /** The API version to send (in the invariants' version header); `null` sends none. Default: the run's. */
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
  if (version !== null) headers[target.contracts.invariants.versions.header] = version;
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
    as: actingOf(parts.credential),
  };
}
