import type { Contracts } from '../contracts/load';
import type { HttpRequest, HttpResponse } from '../http/client';
import type { Operation, Spec } from '../spec/load';
import type { Validators } from '../validation/validators';

/** The contracts/choices.yaml entry that names the status an invalid request must get. */
export type RejectionRule = 'validation_status' | 'malformed_request_status' | 'unsupported_version_status';

/** What the request was meant to prove; checks decide what the response must be from it. */
export type Intent =
  /** A valid request for live resources: the server must accept it. */
  | { kind: 'positive' }
  /** A request with exactly one invalid part: the server must reject it with the status `rejectedAs` names. */
  | { kind: 'negative'; location: 'body' | 'path' | 'query' | 'header'; violation: string; rejectedAs: RejectionRule }
  /** A request with a bad credential. `wrong_kind`: a valid key of the wrong kind for the route. */
  | { kind: 'auth'; credential: 'none' | 'unknown' | 'revoked' | 'wrong_kind' }
  /** A method the path does not declare. */
  | { kind: 'method_probe' }
  /** A request whose outcome the caller asserts itself (workflow steps); only generic checks apply. */
  | { kind: 'probe' };

export interface Exchange {
  /** The spec operation; undefined for method probes of undeclared methods. */
  operation?: Operation;
  request: HttpRequest;
  response: HttpResponse;
  intent: Intent;
}

export interface CheckContext {
  spec: Spec;
  validators: Validators;
  contracts: Contracts;
  /** Budget for `max_response_time`, in milliseconds. */
  maxResponseTimeMs: number;
}

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';

export interface Finding {
  check: string;
  message: string;
  /** JSON pointer into the response body, when the finding is about one place. */
  pointer?: string;
  expected?: unknown;
  actual?: unknown;
  /** Set when the finding is drift the baseline can accept (contracts/drift-baseline.yaml). */
  driftKey?: string;
}

/** What reports and the README say about a check. */
export interface CheckInfo {
  id: string;
  title: string;
  /** What a client suffers when this check fails, for report severity. */
  severity: Severity;
  description: string;
}

/**
 * A named unit of verification that judges one exchange. `id` is what reports show; the check
 * lives in `src/checks/<id>.ts`.
 */
export interface Check extends CheckInfo {
  run(ex: Exchange, ctx: CheckContext): Omit<Finding, 'check'>[] | Omit<Finding, 'check'> | undefined;
}

export function defineCheck(check: Check): Check {
  return check;
}
