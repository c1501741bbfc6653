import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { ChecksConfig } from './contracts/profile';
import { CONFIG_SCHEMA } from './contracts/schema';
import { UserError } from './errors';
import { projectPath } from './paths';
import { globToRegExp } from './text';
import { bestError, describeSchemaError } from './yaml-file';

export type DriftKind = 'undocumented_status' | 'undeclared_field' | 'undeclared_header' | 'null_in_non_nullable' | 'enum_value_outside';
export type DriftPolicy = 'fail' | 'warn' | 'off';

/**
 * The suite's strictness, in one place: which checks run (per operation too), which statuses they
 * accept, what each kind of drift does, which headers are infrastructure, and the response-time
 * budget. Written in conformance.config.ts with `defineConfig`; a target profile may set `checks`
 * and `drift` too, and the configuration file wins over it.
 */
export interface ConformanceConfig {
  /** The target profile (contracts/targets/<name>.yaml). Default: embedded for the embedded mock, polytomic for a live target. */
  profile?: string;
  /** Budget per response for max_response_time, in milliseconds (default 2000). */
  maxResponseTimeMs?: number;
  /** Per check id: `enabled`, `operations` (operationId -> on/off), `expectedStatuses` (replaces what the profile accepts). */
  checks?: ChecksConfig;
  drift?: {
    /** What each kind of drift does: fail the run, warn (reported only), or nothing. */
    policy?: Partial<Record<DriftKind, DriftPolicy>>;
    /** Response headers added by CDNs, load balancers and rate limiters: never drift. `*` matches any run of characters. */
    infrastructureHeaders?: string[];
  };
}

/** Types the configuration file's object; the object is checked again when it is read. */
export function defineConfig(config: ConformanceConfig): ConformanceConfig {
  return config;
}

/**
 * Headers a CDN, load balancer, rate limiter or tracing proxy may add to any response. They are
 * not the API's, so they are never drift.
 */
export const INFRASTRUCTURE_HEADERS = [
  'accept-ranges', 'access-control-*', 'age', 'akamai-*', 'alt-svc', 'cache-control', 'cdn-*', 'cf-*', 'connection', 'content-encoding',
  'content-language', 'content-length', 'content-security-policy*', 'content-type', 'cross-origin-*', 'date', 'etag', 'expect-ct', 'expires',
  'fly-*', 'keep-alive', 'last-modified', 'nel', 'origin-agent-cluster', 'permissions-policy', 'pragma', 'proxy-*', 'ratelimit*', 'referrer-policy',
  'report-to', 'reporting-endpoints', 'retry-after', 'server', 'server-timing', 'set-cookie', 'strict-transport-security', 'timing-allow-origin',
  'traceparent', 'tracestate', 'transfer-encoding', 'vary', 'via', 'x-amz-*', 'x-amzn-*', 'x-azure-*', 'x-b3-*', 'x-backend-*', 'x-cache*',
  'x-cdn*', 'x-cloud-trace-context', 'x-content-type-options', 'x-correlation-id', 'x-datadog-*', 'x-dns-prefetch-control', 'x-edge-*', 'x-envoy-*',
  'x-fastly-*', 'x-frame-options', 'x-github-request-id', 'x-iinfo', 'x-kong-*', 'x-msedge-*', 'x-nf-*', 'x-powered-by', 'x-ratelimit-*',
  'x-rate-limit-*', 'x-request-id', 'x-runtime', 'x-served-by', 'x-timer', 'x-trace-id', 'x-upstream-*', 'x-vercel-*', 'x-xss-protection',
];

export const DEFAULT_DRIFT_POLICY: Record<DriftKind, DriftPolicy> = {
  // Statuses and values the schema forbids break generated clients.
  undocumented_status: 'fail',
  null_in_non_nullable: 'fail',
  enum_value_outside: 'fail',
  // An extra field or header is additive: clients ignore it, the drift report lists it.
  undeclared_field: 'warn',
  undeclared_header: 'warn',
};

export interface EffectiveConfig {
  /** Where each part came from, for the report. */
  file?: string;
  profile: string;
  maxResponseTimeMs: number;
  checks: ChecksConfig;
  drift: { policy: Record<DriftKind, DriftPolicy>; infrastructureHeaders: string[] };
}

const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true }).compile(CONFIG_SCHEMA);

export const DEFAULT_CONFIG_FILE = projectPath('conformance.config.ts');

/** Reads the configuration file; the default one may be absent, a named one may not. */
export function readConfigFile(file: string | undefined): { file?: string; config: ConformanceConfig } {
  const path = resolve(file ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new UserError(`CONFORMANCE_CONFIG=${file}: no such file`);
    return { config: {} };
  }
  const name = relative(process.cwd(), path) || path;
  let loaded: unknown;
  try {
    // Read as it is now: a file edited since it was last loaded is not served from the cache.
    delete require.cache[require.resolve(path)];
    const mod = require(path);
    loaded = mod?.default ?? mod;
  } catch (e) {
    throw new UserError(`${name} could not be loaded: ${String((e as Error).message).split('\n')[0]}`);
  }
  if (!validate(loaded)) throw new UserError(`${name}: ${describeSchemaError(bestError(validate.errors!))}`);
  return { file: name, config: loaded as ConformanceConfig };
}

/** `*` in a header pattern matches any run of characters. */
export function headerMatcher(patterns: string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const re = patterns.filter((p) => p.includes('*')).map(globToRegExp);
  return (name) => exact.has(name) || re.some((r) => r.test(name));
}
