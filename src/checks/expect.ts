import { citeInvariant, type InvariantId } from '../model/contracts';
import type { Basis, CheckContext } from './types';

/** Where an expectation comes from, carried by every finding that rests on it. */
export interface Cite {
  rule: string;
  basis: Basis;
  note: string;
}

export interface Expected {
  statuses: number[];
  cite: Cite;
}

/** A check's own `expectedStatuses` in the configuration, which wins over the profile. */
function configured(ctx: CheckContext, check: string): Expected | undefined {
  const statuses = ctx.config.checks[check]?.expectedStatuses;
  return statuses ? { statuses, cite: { rule: `config ${check}`, basis: 'guess', note: `configuration checks.${check}.expectedStatuses` } } : undefined;
}

/** The statuses a check accepts, from the configuration or else the target profile's answer to a question. */
export function expectedFromProfile(ctx: CheckContext, check: string, question: string): Expected {
  return configured(ctx, check) ?? { statuses: ctx.contracts.profile.statuses(question), cite: ctx.contracts.profile.cite(question) };
}

/** The status a check accepts, from the configuration or else an invariant. */
export function expectedFromInvariant(ctx: CheckContext, check: string, id: InvariantId, status: number): Expected {
  return configured(ctx, check) ?? { statuses: [status], cite: citeInvariant(ctx.contracts.invariants, id) };
}

/** `400` or `400 or 422`. */
export function either(statuses: readonly number[]): string {
  return statuses.length === 1 ? String(statuses[0]) : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`;
}
