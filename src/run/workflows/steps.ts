import { expectRule } from '../../checks/stateful';
import type { Intent } from '../../checks/types';
import type { SuiteEnv } from '../env';
import type { RequestParts } from '../../target/target';
import type { Recorded } from '../../checks/types';

/** One step of a workflow: a request to an operation by id (judged by every exchange check too). */
export async function call(env: SuiteEnv, opId: string, parts: RequestParts, intent: Intent = { kind: 'probe' }): Promise<Recorded> {
  const op = env.target.spec.byId.get(opId);
  if (!op) throw new Error(`the spec has no operation ${opId}`);
  return env.send(op, parts, intent);
}

export const status = (rec: Recorded) => rec.exchange.response.status;
export const ok = (rec: Recorded) => status(rec) >= 200 && status(rec) < 300;
export const data = (rec: Recorded): any => (rec.exchange.response.json as any)?.data;
export const ids = (rec: Recorded): string[] => (Array.isArray(data(rec)) ? data(rec).map((x: any) => x?.id) : []);

/** Records for cleanup the user a 2xx answer created in `orgId` (once, however often it is answered). */
export function adoptCreatedUser(env: SuiteEnv, orgId: string, rec: Recorded): void {
  const id = ok(rec) ? data(rec)?.id : undefined;
  if (typeof id === 'string') env.sb.adopt('user', id, `/api/organizations/${orgId}/users/${id}`);
}

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
