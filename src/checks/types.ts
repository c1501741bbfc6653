import type { EffectiveConfig } from '../model/config-file';
import type { Contracts } from '../model/contracts';
import type { Spec } from '../model/spec/load';
import type { Exchange } from '../target/exchange';
import type { Validators } from '../model/validators';
import type { CheckId } from './ids';
import type { RunRecord } from './record';

export type { Exchange, Intent, RejectionRule } from '../target/exchange';
export type { CheckId } from './ids';

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
  check: CheckId;
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

/**
 * Where a check judges: on every answer the run gets (what it looks for there), and what of its
 * rule is left to one moment of one scenario, with why it cannot be judged more widely.
 */
export interface Judged {
  everyAnswer?: string;
  atMoment?: string;
}

/** An option a check takes (`checks.<id>.options.<name>` in the configuration). */
export interface OptionSpec {
  type: 'integer' | 'boolean';
  default: number | boolean;
  minimum?: number;
  description: string;
}

/** What reports, the configuration and the README say about a check. */
export interface CheckInfo {
  id: CheckId;
  title: string;
  /** What a client suffers when this check fails, for report severity. */
  severity: Severity;
  description: string;
  /** The rule it rests on: the OpenAPI document, HTTP, an invariant, a question's answer, or a named source. */
  restsOn: string;
  judged: Judged;
  options?: Record<string, OptionSpec>;
}

/** A finding as a check returns it (the registry adds the check's id). */
export type Draft = Omit<Finding, 'check'>;

/**
 * A named rule. `run` judges one exchange, with what the run did and saw before it (`seen`); it
 * never sends a request. A rule that only one moment of a scenario can show has no `run`: the
 * scenario asserts it (`expectRule`), through the same gate. Each lives in `src/checks/<id>.ts`.
 */
export interface Check extends CheckInfo {
  run?(ex: Exchange, ctx: CheckContext, seen: RunRecord): Draft[] | Draft | undefined;
}

export function defineCheck(check: Check): Check {
  return check;
}

/** An exchange and what the checks found in it. */
export interface Recorded {
  exchange: Exchange;
  findings: Finding[];
}
