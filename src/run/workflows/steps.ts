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
