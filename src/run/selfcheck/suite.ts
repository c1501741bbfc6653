import { BudgetSpent } from '../../target/gate';
import { RefusedSetup, SetupError } from '../../target/sandbox';
import { InProcessGate } from '../coordinator';
import type { SuiteEnv } from '../env';
import type { PropertyOutcome } from '../properties/runner';
import { type RunOptions, scenarios } from '../scenarios';

/**
 * What a property's outcome says of the step that ran it, besides its findings: it failed with
 * no finding (the suite's error), or the target refused what it needed to set up.
 */
function outcomeErrors(outcome: PropertyOutcome | undefined): string[] {
  const f = outcome?.failure;
  if (!f) return [];
  if (f.setupRefused) return [`setup refused by the target: ${f.setupRefused.message}`];
  return f.recorded.some((r) => r.findings.length) ? [] : [`failed with no finding: ${f.error ?? 'no finding'}`];
}

/**
 * The whole conformance suite as one in-process scenario, for the self-check: every scenario of
 * src/run/scenarios.ts, the list tests/conformance/ makes its tests of, in the same order, with
 * the run's own seed and sizes. Under a request budget (the session's gate) each step asks it
 * first, as a conformance test does. Returns what went wrong that no check reports: a step that
 * threw, a property that failed with no finding, a setup the target refused; any of them fails
 * the self-check's clean verdict.
 */
export async function wholeSuite(env: SuiteEnv): Promise<string[]> {
  const { config } = env.target;
  const all = scenarios(env.target.spec).filter((s) => !s.skip?.(env.target));
  const gate = env.target.coordinator;
  const counts: Record<string, number> = {};
  for (const s of all) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  // In a conformance run the reporter, which sees every test, makes this plan.
  if (gate instanceof InProcessGate) gate.budget.plan(counts);
  const errors: string[] = [];
  for (const s of all) {
    // A step the budget cannot pay for is not run, as a test would be skipped.
    if (gate && !(await gate.start(s.kind)).run) continue;
    const name = `${s.group} › ${s.title}`;
    const opts: RunOptions = { seed: config.seed, runs: config.runs, model: config.model, grep: name, step: (_title, body) => body() };
    try {
      errors.push(...outcomeErrors(await s.run(env, opts)).map((e) => `${name}: ${e}`));
    } catch (e) {
      if (e instanceof BudgetSpent) continue;
      // What the spec or the run cannot set up (read-only, a capability it does not describe) is skipped, as a test would be.
      if (e instanceof SetupError && !(e instanceof RefusedSetup)) continue;
      errors.push(`${name}: ${e instanceof RefusedSetup ? 'setup refused by the target: ' : ''}${(e as Error)?.message ?? e}`);
    } finally {
      await gate?.end(s.kind);
    }
  }
  return errors;
}
