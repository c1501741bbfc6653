import { messageOf } from '../../model/errors';
import fc from 'fast-check';
import type { ReplayInfo } from '../report/failure';
import type { SuiteEnv } from '../env';
import type { Recorded } from '../../checks/types';
import { BudgetSpent } from '../../target/gate';

export interface PropertyOptions {
  seed: number;
  numRuns: number;
  /** fast-check replay path: runs exactly the counterexample it names. */
  path?: string;
  /** Title filter for the replay command. */
  grep: string;
}

export interface PropertyOutcome {
  /** Runs made (those cut short by the request budget not counted). */
  runs: number;
  requests: number;
  /** Why the property stopped before its runs were done: the request budget is spent. */
  stopped?: string;
  /** The shrunk counterexample's exchanges, with their findings, and how to replay it. */
  failure?: { recorded: Recorded[]; replay: ReplayInfo; counterexample: string; error?: string; value?: unknown };
}

/** A command sequence prints its own replay path (a `replayPath="..."` comment): without it a replay shrinks anew. */
function commandsPath(counterexample: string): { commands?: string } {
  const m = /\/\*replayPath="([^"]*)"\*\//.exec(counterexample);
  return m ? { commands: m[1] } : {};
}

/**
 * Runs a fast-check property whose runs send requests through `env`. A run fails when any of its
 * exchanges has a finding (or it throws); fast-check then shrinks, and the outcome carries only
 * the exchanges of the final, smallest failing run — the one a person should read.
 */
export async function checkProperty<T>(env: SuiteEnv, arb: fc.Arbitrary<T>, run: (value: T, env: SuiteEnv) => Promise<void>, opts: PropertyOptions): Promise<PropertyOutcome> {
  let requests = 0;
  let runs = 0;
  let stopped: string | undefined;
  let lastFailing: { recorded: Recorded[]; error?: string } | undefined;
  const property = fc.asyncProperty(arb, async (value) => {
    // Once the budget refuses a request, the runs left pass unsent: what was found so far stands.
    if (stopped) return true;
    const recorded: Recorded[] = [];
    const collecting: SuiteEnv = {
      ...env,
      send: async (route, parts, intent) => {
        const rec = await env.send(route, parts, intent);
        recorded.push(rec);
        requests++;
        return rec;
      },
    };
    let error: string | undefined;
    try {
      await run(value, collecting);
    } catch (e) {
      // fc.pre() rejections skip the sample; they are not failures.
      if (fc.PreconditionFailure.isFailure(e)) throw e;
      if (e instanceof BudgetSpent || env.target.coordinator?.spent) {
        stopped = messageOf(e).replace(/^Test is skipped: /, '');
        return true;
      }
      error = messageOf(e);
    }
    runs++;
    const failed = error !== undefined || recorded.some((r) => r.findings.length > 0);
    if (failed) lastFailing = { recorded, error };
    return !failed;
  });
  const details = await fc.check(property, {
    seed: opts.seed,
    numRuns: opts.path ? 1 : opts.numRuns,
    ...(opts.path ? { path: opts.path, endOnFailure: true } : {}),
  });
  // fast-check counts the runs of its search, not of its shrinking; a stop counts only those made.
  const outcome: PropertyOutcome = { runs: stopped ? Math.min(runs, details.numRuns) : details.numRuns, requests, stopped };
  if (details.failed && lastFailing) {
    outcome.failure = {
      ...lastFailing,
      replay: { seed: opts.seed, path: details.counterexamplePath ?? undefined, grep: opts.grep, ...commandsPath(fc.stringify(details.counterexample)) },
      counterexample: fc.stringify(details.counterexample),
      value: details.counterexample?.[0],
    };
  }
  return outcome;
}
