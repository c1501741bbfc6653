import { checkContext } from '../checks/context';
import { DriftRecorder } from '../checks/drift/recorder';
import { evaluate } from '../checks/registry';
import { infrastructureOf } from '../checks/spec_drift';
import type { CheckContext, Intent, Recorded } from '../checks/types';
import type { Exchange } from '../target/exchange';
import type { HttpRequest } from '../target/http';
import { isOperation, openTarget, type Route, type Target } from '../target/target';

/** A target and what a run judges its answers with: the checks, and the drift it records. */
export interface Session extends Target {
  ctx: CheckContext;
  /** What the run saw, for the drift report (flushed by the worker fixture). */
  drift: DriftRecorder;
}

export function openSession(worker: string, env: NodeJS.ProcessEnv = process.env): Session {
  const target = openTarget(worker, env);
  const ctx = checkContext(target);
  return { ...target, ctx, drift: new DriftRecorder(infrastructureOf(ctx)) };
}

/** Sends one request and judges every response it got (429s waited out included). */
export async function perform(session: Session, route: Route, request: HttpRequest, intent: Intent): Promise<Recorded> {
  const operation = isOperation(route) ? route : undefined;
  const { response, rateLimited } = await session.client.send(request);
  const findings = [];
  // A 429 that was waited out is judged for its headers, not for the outcome the intent expects.
  for (const r of rateLimited) findings.push(...evaluate({ operation, request, response: r, intent: { kind: 'probe' } }, session.ctx));
  const exchange: Exchange = { operation, request, response, intent };
  findings.push(...evaluate(exchange, session.ctx));
  session.drift.record(exchange, session.spec.doc);
  return { exchange, findings };
}
