import type { EffectiveConfig } from '../model/config-file';
import type { Contracts } from '../model/contracts';
import type { Spec } from '../model/spec/load';
import type { Exchange } from '../target/exchange';

export type { Exchange, Intent, RejectionRule } from '../target/exchange';
import type { Validators } from '../model/validators';

export interface CheckContext {
  spec: Spec;
  validators: Validators;
  contracts: Contracts;
  /** The run's strictness: checks on or off, expected statuses, drift policy, budgets. */
  config: EffectiveConfig;
}

/** What a rule rests on: the OpenAPI document, a named source, an observation of the target, or a guess. */
export type Basis = 'spec' | 'source' | 'observed' | 'guess';

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
  /**
   * The rule broken, the same wherever it shows: a schema location (`#/components/schemas/User/properties/email`),
   * an invariant (`invariant required_fields`) or a profile answer (`profile org_delete_status`).
   */
  rule?: string;
  basis?: Basis;
  /** Where the rule comes from, for a person: the profile answer or invariant, and its source or why it is a guess. */
  note?: string;
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
