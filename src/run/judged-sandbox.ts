import type { Intent, Recorded } from '../checks/types';
import { Sandbox } from '../target/sandbox';
import { buildRequest } from '../target/target';
import type { SuiteEnv } from './env';
import { World } from './generation/world';
import { positiveWith } from './generation/plan';
import { perform, type Session } from './session';

/** A sandbox whose setup requests are judged by the checks like any other, and kept. */
export interface JudgedSandbox {
  sb: Sandbox;
  /** Every setup exchange, with what the checks found in it. */
  setup: Recorded[];
}

export function judgedSandbox(session: Session, worker: string): JudgedSandbox {
  const setup: Recorded[] = [];
  const sb = new Sandbox(
    session,
    worker,
    async (op, request, asks) => {
      // What a test needs is asked for validly: a refusal is positive_data_acceptance's too.
      const kind = request.as?.kind;
      const intent: Intent = asks ? { kind: 'probe', asks } : kind && kind !== 'none' && kind !== 'unknown' ? positiveWith(session.spec, kind) : { kind: 'positive' };
      const rec = await perform(session, op, request, intent);
      setup.push(rec);
      return rec.exchange;
    },
    (id, gone) => session.record.disposed(id, gone),
  );
  return { sb, setup };
}

/**
 * A suite environment over `session`: a sandbox whose setup is judged, a world made on first use,
 * and `send` (default: judge and return). `fresh()` gives one of its own, record included.
 */
export function suiteEnv(session: Session, worker: string, send?: SuiteEnv['send']): { env: SuiteEnv; setup: Recorded[] } {
  const { sb, setup } = judgedSandbox(session, worker);
  const env: SuiteEnv = {
    target: session,
    sb,
    world: new World(sb, session),
    send: send ?? ((route, parts, intent) => perform(session, route, buildRequest(session, route, parts), intent)),
    fresh: () => {
      const alone = suiteEnv({ ...session, record: session.record.blank() }, worker).env;
      return { ...alone, dispose: () => alone.sb.dispose() };
    },
  };
  return { env, setup };
}
