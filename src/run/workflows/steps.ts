import { expectRule } from '../../checks/gate';
import type { CheckId, Intent, Recorded } from '../../checks/types';
import type { RequestParts } from '../../target/target';
import type { SuiteEnv } from '../env';
import type { Instance, Plan } from '../generation/plan';

/** One step of a workflow: a request to an operation by id (judged by every exchange check too). */
export async function call(env: SuiteEnv, opId: string, parts: RequestParts, intent: Intent = { kind: 'probe' }): Promise<Recorded> {
  const op = env.target.spec.byId.get(opId);
  if (!op) throw new Error(`the spec has no operation ${opId}`);
  return env.send(op, parts, intent);
}

/**
 * One step through a plan: its credential and path ids unless `parts` says otherwise. Whatever a
 * 2xx created is recorded for cleanup (`made`), whichever step sent it.
 */
export async function step(env: SuiteEnv, plan: Plan, parts: RequestParts = {}, intent: Intent = { kind: 'probe' }): Promise<Recorded & { made?: Instance }> {
  const rec = await env.send(plan.op, { credential: plan.credential, params: plan.params, ...parts }, intent);
  return { ...rec, made: plan.settle(rec.exchange) };
}

export const status = (rec: Recorded) => rec.exchange.response.status;
export const ok = (rec: Recorded) => status(rec) >= 200 && status(rec) < 300;
// biome-ignore lint/suspicious/noExplicitAny: workflow steps read answers field by field; the checks judged their shape.
export const data = (rec: Recorded): any => (rec.exchange.response.json as { data?: unknown } | undefined)?.data;
export const ids = (rec: Recorded): string[] => (Array.isArray(data(rec)) ? data(rec).map((x: { id?: string }) => x?.id) : []);

export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Holds a step's observed answer to an open question against the target profile (or, for a
 * status, the statuses the configuration gives `check`): a finding of `check`, citing what it
 * rests on, when it is not accepted. Returns whether it is.
 */
export function answered(env: SuiteEnv, rec: Recorded, check: CheckId, question: string, answer: string | number, message: string): boolean {
  const { profile } = env.target.contracts;
  const configured = typeof answer === 'number' ? env.target.ctx.config.checks[check]?.expectedStatuses : undefined;
  const accepted: (string | number)[] = configured ?? profile.accepted(question);
  const ok = configured ? configured.includes(answer as number) : profile.accepts(question, answer);
  const cite = configured ? { rule: `config ${check}`, basis: 'guess' as const, note: `configuration checks.${check}.expectedStatuses` } : profile.cite(question);
  return expectRule(env.target.ctx, rec, check, ok, `${message} (the target answers ${question} with ${accepted.join(' or ')})`, { expected: accepted, actual: answer, ...cite });
}

/** A rule a scenario asserts at one moment (see `judged.atMoment` of its check), through the gate every finding passes. */
export function holds(env: SuiteEnv, rec: Recorded, check: CheckId, ok: boolean, message: string, detail?: Parameters<typeof expectRule>[5]): boolean {
  return expectRule(env.target.ctx, rec, check, ok, message, detail);
}
