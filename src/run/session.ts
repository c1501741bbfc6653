import { checkContext } from '../checks/context';
import { DriftRecorder } from '../checks/drift/recorder';
import { evaluate } from '../checks/registry';
import { infrastructureOf } from '../checks/spec_drift';
import type { CheckContext, Intent, Recorded } from '../checks/types';
import type { Exchange } from '../target/exchange';
import type { HttpRequest } from '../target/http';
import { isOperation, openTarget, type Route, type Target } from '../target/target';
import { readConfig } from '../model/config';
import { type BudgetGate, RemoteGate } from './coordinator';
import { CoverageRecorder } from './coverage/record';
import { AnswerWatch } from '../checks/watch';
import { authHeaders } from '../target/credentials';

/** A target and what a run judges its answers with: the checks, and the drift it records. */
export interface Session extends Target {
  ctx: CheckContext;
  /** What the run saw, for the drift report (flushed by the worker fixture). */
  drift: DriftRecorder;
  /** What of the spec's inputs the run exercised, for the coverage report (flushed likewise). */
  coverage: CoverageRecorder;
  /** The run's rate and budget, where it has them (a coordinator's, or one given). */
  coordinator?: BudgetGate;
  /** Rules judged on every answer with what the run has learnt (see checks/watch.ts). */
  watch: AnswerWatch;
}

export function openSession(worker: string, env: NodeJS.ProcessEnv = process.env, gate?: BudgetGate): Session {
  const coordinator = gate ?? RemoteGate.forRun(readConfig(env).runId);
  const target = openTarget(worker, env, coordinator);
  const ctx = checkContext(target);
  const auth = { mine: authHeaders(target.partner).Authorization, theirs: authHeaders(target.foreignPartner).Authorization };
  const watch = new AnswerWatch(target.spec, target.contracts, auth, target.config.ownerOrgId);
  return { ...target, ctx, drift: new DriftRecorder(infrastructureOf(ctx)), coverage: new CoverageRecorder(target.spec, target.validators), coordinator, watch };
}

/** Sends one request and judges every response it got (429s waited out included). */
export async function perform(session: Session, route: Route, request: HttpRequest, intent: Intent): Promise<Recorded> {
  const operation = isOperation(route) ? route : undefined;
  const { response, rateLimited } = await session.client.send(request);
  const findings = [];
  // A 429 that was waited out is judged for its headers, not for the outcome the intent expects.
  for (const r of rateLimited) findings.push(...evaluate({ operation, request, response: r, intent: { kind: 'probe' } }, session.ctx));
  const exchange: Exchange = { operation, request, response, intent };
  findings.push(...evaluate(exchange, session.ctx), ...session.watch.judge(exchange));
  session.drift.record(exchange, session.spec.doc);
  session.coverage.record(exchange);
  return { exchange, findings };
}
