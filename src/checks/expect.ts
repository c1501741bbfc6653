import { citeInvariant, type InvariantId } from '../model/contracts';
import type { CheckId } from './ids';
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

/** A check's option (`checks.<id>.options.<name>`), or its default. */
export function optionOf(ctx: Pick<CheckContext, 'config'>, check: CheckId, name: string, fallback: number): number {
  const v = ctx.config.checks[check]?.options?.[name];
  return typeof v === 'number' ? v : fallback;
}

/** How long after a write its effect may still not show (`checks.<id>.options.graceMs`): for servers whose reads lag their writes. */
export const graceOf = (ctx: Pick<CheckContext, 'config'>, check: CheckId) => optionOf(ctx, check, 'graceMs', 0);

export const GRACE_OPTION = {
  graceMs: { type: 'integer', default: 0, minimum: 0, description: 'milliseconds after a write during which an answer may still show the state before it (an eventually consistent server)' },
} as const;

/** A check's own `expectedStatuses` in the configuration, which wins over the profile. */
function configured(ctx: CheckContext, check: CheckId): Expected | undefined {
  const statuses = ctx.config.checks[check]?.expectedStatuses;
  return statuses ? { statuses, cite: { rule: `config ${check}`, basis: 'guess', note: `configuration checks.${check}.expectedStatuses` } } : undefined;
}

/** The statuses a check accepts, from the configuration or else the target profile's answer to a question. */
export function expectedFromProfile(ctx: CheckContext, check: CheckId, question: string): Expected {
  return configured(ctx, check) ?? { statuses: ctx.contracts.profile.statuses(question), cite: ctx.contracts.profile.cite(question) };
}

/** The status a check accepts, from the configuration or else an invariant. */
export function expectedFromInvariant(ctx: CheckContext, check: CheckId, id: InvariantId, status: number): Expected {
  return configured(ctx, check) ?? { statuses: [status], cite: citeInvariant(ctx.contracts.invariants, id) };
}

/** `400` or `400 or 422`. */
export function either(statuses: readonly number[]): string {
  return statuses.length === 1 ? String(statuses[0]) : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`;
}
