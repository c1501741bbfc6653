import { checkContext } from '../checks/context';
import { DriftRecorder } from '../checks/drift/recorder';
import { EXCHANGE_CHECKS, evaluate } from '../checks/registry';
import { infrastructureOf } from '../checks/spec_drift';
import type { CheckContext, Intent, Recorded } from '../checks/types';
import type { Exchange } from '../target/exchange';
import type { HttpRequest } from '../target/http';
import { isOperation, openTarget, type Route, type Target } from '../target/target';
import { readConfig } from '../model/config';
import { type BudgetGate, RemoteGate } from './coordinator';
import { CoverageRecorder } from './coverage/record';
import { RunRecord } from '../checks/record';

/** A target and what a run judges its answers with: the checks, and the drift it records. */
export interface Session extends Target {
  ctx: CheckContext;
  /** What the run saw, for the drift report (flushed by the worker fixture). */
  drift: DriftRecorder;
  /** What of the spec's inputs the run exercised, for the coverage report (flushed likewise). */
  coverage: CoverageRecorder;
  /** The run's rate and budget, where it has them (a coordinator's, or one given). */
  coordinator?: BudgetGate;
  /** What the run did and saw: stateful checks judge every answer against it (see checks/record.ts). */
  record: RunRecord;
}

export function openSession(worker: string, env: NodeJS.ProcessEnv = process.env, gate?: BudgetGate): Session {
  const coordinator = gate ?? RemoteGate.forRun(readConfig(env).runId);
  const target = openTarget(worker, env, coordinator);
  const ctx = checkContext(target);
  const record = new RunRecord(target.spec, target.contracts, new Set(target.keys.map((k) => k.root)), target.foreignPartner?.root, target.config.ownerOrgId);
  return { ...target, ctx, drift: new DriftRecorder(infrastructureOf(ctx)), coverage: new CoverageRecorder(target.spec, target.validators), coordinator, record };
}

const judgedAgainst = new WeakMap<Exchange, RunRecord>();

/** The record an exchange was judged against (and taught): what a reproduction of it is read from. */
export const recordOf = (ex: Exchange): RunRecord | undefined => judgedAgainst.get(ex);

/**
 * Sends one request and judges every response it got (429s waited out included) with every
 * check, against what the run did and saw before it; then the run record learns from it.
 */
export async function perform(session: Session, route: Route, request: HttpRequest, intent: Intent): Promise<Recorded> {
  const operation = isOperation(route) ? route : undefined;
  const sentAt = performance.now();
  const { response, rateLimited } = await session.client.send(request);
  const doneAt = performance.now();
  const findings = [];
  // A 429 that was waited out is judged for its headers, not for the outcome the intent expects.
  for (const r of rateLimited) findings.push(...evaluate({ operation, request, response: r, intent: { kind: 'probe' }, sentAt, doneAt: sentAt }, session.ctx, session.record, EXCHANGE_CHECKS));
  const exchange: Exchange = { operation, request, response, intent, sentAt, doneAt };
  findings.push(...evaluate(exchange, session.ctx, session.record));
  session.record.learn(exchange);
  judgedAgainst.set(exchange, session.record);
  session.drift.record(exchange, { doc: session.spec.doc, validators: session.validators });
  // Cleanup's reads prove deletes; they are no part of what the run covered or spent.
  if (request.purpose !== 'cleanup') session.coverage.record(exchange);
  return { exchange, findings };
}
