import { messageOf } from '../../model/errors';
import fc from 'fast-check';
import type { ReplayInfo } from '../report/failure';
import type { SuiteEnv } from '../env';
import type { Recorded } from '../../checks/types';
import { BudgetSpent } from '../../target/gate';
import { RefusedSetup } from '../../target/sandbox';

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
  /**
   * The shrunk counterexample's exchanges, with their findings, and how to replay it. `alone`:
   * replayed by itself in an environment of its own (as its replay command runs it), it failed
   * again, and these are that replay's exchanges; otherwise it failed only after the runs before
   * it, and these are the exchanges of the run that failed.
   */
  failure?: { recorded: Recorded[]; replay: ReplayInfo; counterexample: string; error?: string; value?: unknown; alone: boolean; setupRefused?: RefusedSetup };
}

/** A command sequence prints its own replay path (a `replayPath="..."` comment): without it a replay shrinks anew. */
function commandsPath(counterexample: string): { commands?: string } {
  const m = /\/\*replayPath="([^"]*)"\*\//.exec(counterexample);
  return m ? { commands: m[1] } : {};
}

interface RunResult {
  recorded: Recorded[];
  error?: string;
  /** The target refused what the run needed to set up: not a failure of the property. */
  refused?: RefusedSetup;
  stopped?: string;
}

/** One run of a property's body through `env`, collecting its exchanges. */
async function runOnce<T>(env: SuiteEnv, value: T, run: (value: T, env: SuiteEnv) => Promise<void>, count: () => void): Promise<RunResult> {
  const recorded: Recorded[] = [];
  const collecting: SuiteEnv = {
    ...env,
    send: async (route, parts, intent) => {
      const rec = await env.send(route, parts, intent);
      recorded.push(rec);
      count();
      return rec;
    },
  };
  try {
    await run(value, collecting);
    return { recorded };
  } catch (e) {
    // fc.pre() rejections skip the sample; they are not failures.
    if (fc.PreconditionFailure.isFailure(e)) throw e;
    if (e instanceof BudgetSpent || env.target.coordinator?.spent) return { recorded, stopped: messageOf(e).replace(/^Test is skipped: /, '') };
    if (e instanceof RefusedSetup) return { recorded, refused: e };
    return { recorded, error: messageOf(e) };
  }
}

const failed = (r: RunResult) => r.error !== undefined || r.recorded.some((x) => x.findings.length > 0);

/**
 * Runs a fast-check property whose runs send requests through `env`. A run fails when any of its
 * exchanges has a finding (or it throws); fast-check then shrinks. The smallest failing run is
 * then replayed alone, in an environment of its own, as its replay command would run it: the
 * outcome carries that replay's exchanges (the one a person should read) when it failed again,
 * and says so when it did not (it failed only after the runs before it).
 */
export async function checkProperty<T>(env: SuiteEnv, arb: fc.Arbitrary<T>, run: (value: T, env: SuiteEnv) => Promise<void>, opts: PropertyOptions): Promise<PropertyOutcome> {
  let requests = 0;
  let runs = 0;
  let stopped: string | undefined;
  let refused: RefusedSetup | undefined;
  let lastFailing: RunResult | undefined;
  const count = () => requests++;
  const property = fc.asyncProperty(arb, async (value) => {
    // Once the budget refuses a request, the runs left pass unsent: what was found so far stands.
    // Once the target refuses what a run needs, so do the rest: the refusal is reported as such.
    if (stopped || refused) return true;
    const r = await runOnce(env, value, run, count);
    if (r.stopped) stopped = r.stopped;
    if (r.refused) refused = r.refused;
    if (r.stopped || r.refused) return true;
    runs++;
    if (failed(r)) lastFailing = r;
    return !failed(r);
  });
  const details = await fc.check(property, {
    seed: opts.seed,
    numRuns: opts.path ? 1 : opts.numRuns,
    ...(opts.path ? { path: opts.path, endOnFailure: true } : {}),
  });
  // fast-check counts the runs of its search, not of its shrinking; a stop counts only those made.
  const outcome: PropertyOutcome = { runs: stopped || refused ? Math.min(runs, details.numRuns) : details.numRuns, requests, stopped };
  if (details.failed && lastFailing) {
    const value = details.counterexample?.[0] as T;
    const again = await replayAlone(env, value, run, count);
    const alone = !!again && failed(again);
    outcome.failure = {
      ...(alone ? again : lastFailing),
      replay: { seed: opts.seed, path: details.counterexamplePath ?? undefined, grep: opts.grep, ...commandsPath(fc.stringify(details.counterexample)) },
      counterexample: fc.stringify(details.counterexample),
      value,
      alone,
    };
  } else if (refused) {
    outcome.failure = { recorded: [], replay: { seed: opts.seed, grep: opts.grep }, counterexample: '', alone: false, setupRefused: refused };
  }
  return outcome;
}

/** The counterexample once more, alone, in an environment of its own (what it made deleted after). */
async function replayAlone<T>(env: SuiteEnv, value: T, run: (value: T, env: SuiteEnv) => Promise<void>, count: () => void): Promise<RunResult | undefined> {
  const alone = env.fresh();
  try {
    return await runOnce(alone, value, run, count);
  } catch {
    // A sample fast-check would skip (fc.pre) is no replay.
    return undefined;
  } finally {
    await alone.dispose().catch(() => undefined);
  }
}
