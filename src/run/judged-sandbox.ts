import type { Recorded } from '../checks/types';
import { Sandbox } from '../target/sandbox';
import { perform, type Session } from './session';

/** A sandbox whose setup requests are judged by the checks like any other, and kept. */
export interface JudgedSandbox {
  sb: Sandbox;
  /** Every setup exchange, with what the checks found in it. */
  setup: Recorded[];
}

export function judgedSandbox(session: Session, worker: string): JudgedSandbox {
  const setup: Recorded[] = [];
  const sb = new Sandbox(session, worker, async (op, request) => {
    const rec = await perform(session, op, request, { kind: 'probe' });
    setup.push(rec);
    return rec.exchange;
  });
  return { sb, setup };
}
