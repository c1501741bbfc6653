import type { CheckContext, CheckId, Finding, Recorded } from './types';

/** Is a check on for this operation? Configuration: `checks.<id>.enabled`, then `checks.<id>.operations.<operationId>`. */
export function checkEnabled(ctx: Pick<CheckContext, 'config'>, id: CheckId, operation?: string): boolean {
  const c = ctx.config.checks[id];
  if (!c) return true;
  const perOp = operation === undefined ? undefined : c.operations?.[operation];
  return perOp ?? c.enabled ?? true;
}

/**
 * Records a broken rule a scenario asserts at one moment on the exchange that showed it, through
 * the same gate as every check (a check turned off, for the run or the operation, records
 * nothing); returns whether the rule held. Without a `rule`, the rule is the check itself, stated
 * by the spec.
 */
export function expectRule(ctx: Pick<CheckContext, 'config'>, rec: Recorded, check: CheckId, ok: boolean, message: string, detail: Pick<Finding, 'expected' | 'actual' | 'rule' | 'basis' | 'note'> = {}): boolean {
  if (!ok && checkEnabled(ctx, check, rec.exchange.operation?.id)) rec.findings.push({ check, message, rule: check, basis: 'spec', ...detail });
  return ok;
}
