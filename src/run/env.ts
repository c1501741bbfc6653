import type { Intent, Recorded } from '../checks/types';
import type { Operation } from '../model/spec/load';
import type { Sandbox } from '../target/sandbox';
import type { World } from './generation/world';
import type { RequestParts, Route } from '../target/target';
import type { Session } from './session';

/** Where a suite sends its requests: the conformance verdict, or the self-test harness. */
export interface SuiteEnv {
  target: Session;
  sb: Sandbox;
  world: World;
  /** Sends to an operation, or to a bare route (a method the spec does not declare). */
  send(op: Operation | Route, parts: RequestParts, intent: Intent): Promise<Recorded>;
  /**
   * An environment of its own: a new world, sandbox and run record over the same target, as a
   * new test would have; `dispose` deletes what it made. A counterexample replayed in it shows
   * whether it fails alone, as its replay command would.
   */
  fresh(): SuiteEnv & { dispose(): Promise<void> };
}

/**
 * A scenario run against a target. Scenarios that run several steps and carry on past a step that
 * throws return those steps' errors (as strings), so a harness can report them.
 */
export type Scenario = (env: SuiteEnv) => Promise<unknown>;

export function stepErrorsOf(result: unknown): string[] {
  return Array.isArray(result) ? result.map(String) : [];
}
