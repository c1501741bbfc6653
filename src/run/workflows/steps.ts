import { expectRule } from '../../checks/stateful';
import type { Intent, Recorded } from '../../checks/types';
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
 * Holds a step's observed answer to an open question against the target profile: a finding of
 * `check`, citing the profile, when the profile does not accept it. Returns whether it does.
 */
export function answered(env: SuiteEnv, rec: Recorded, check: string, question: string, answer: string | number, message: string): boolean {
  const { profile } = env.target.contracts;
  return expectRule(rec, check, profile.accepts(question, answer), `${message} (the target answers ${question} with ${profile.accepted(question).join(' or ')})`, {
    expected: profile.accepted(question),
    actual: answer,
    ...profile.cite(question),
  });
}
