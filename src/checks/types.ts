import type { Contracts } from '../model/contracts';
import type { Spec } from '../model/spec/load';
import type { Exchange } from '../target/exchange';

export type { Exchange, Intent, RejectionRule } from '../target/exchange';
import type { Validators } from '../model/validators';

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

/** An exchange and what the checks found in it. */
export interface Recorded {
  exchange: Exchange;
  findings: Finding[];
}
