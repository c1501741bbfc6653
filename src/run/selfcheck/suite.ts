import { BudgetSpent } from '../../target/gate';
import { InProcessGate } from '../coordinator';
import type { SuiteEnv } from '../env';
import { operationProperty } from '../properties/operation';
import { checkProperty } from '../properties/runner';
import { EXAMPLE_SUITES, probeMethods } from '../suites/examples';
import { workflows } from '../workflows';
import { modelCommands, runModel } from '../workflows/model';

type Step = [kind: string, name: string, run: () => Promise<unknown>];

/**
 * The whole conformance suite as one in-process scenario (what tests/conformance/ runs, minus
 * Playwright, in the same order), for the self-check: example suites on every operation, every
 * workflow, method probes, the model and the three property modes. Under a request budget (the
 * session's gate) each step asks it first, as a conformance test does.
 */
export async function wholeSuite(env: SuiteEnv, runs = 20): Promise<string[]> {
  const { spec } = env.target;
  const steps: Step[] = [];
  for (const op of spec.operations) {
    for (const [name, suite] of Object.entries(EXAMPLE_SUITES)) {
      if (name === 'invalidBodies' && !op.requestBody) continue;
      steps.push(['operations', `${op.id} ${name}`, () => suite(op, env)]);
    }
  }
  for (const w of workflows(spec)) if (!w.skip?.(env.target)) steps.push(['workflows', w.title, () => w.run(env)]);
  for (const path of spec.methodsByPath.keys()) steps.push(['methods', `methods ${path}`, () => probeMethods(path, env)]);
  steps.push(['model', 'model', async () => checkProperty(env, modelCommands(10), (cmds, e) => runModel(e, cmds), { seed: 7, numRuns: 20, grep: 'model' })]);
  for (const op of spec.operations) {
    for (const mode of ['positive', 'negative', 'boundary'] as const) {
      steps.push(['properties', `${op.id} ${mode}`, () => operationProperty(env, op, mode, { seed: 424242, numRuns: runs, grep: op.id })]);
    }
  }
  const gate = env.target.coordinator;
  const counts: Record<string, number> = {};
  for (const [kind] of steps) counts[kind] = (counts[kind] ?? 0) + 1;
  // In a conformance run the reporter, which sees every test, makes this plan.
  if (gate instanceof InProcessGate) gate.budget.plan(counts);
  // A step the server's answers break is not a finding of any check: it is listed apart. A step
  // the budget cannot pay for is not run, as a test would be skipped.
  const errors: string[] = [];
  for (const [kind, name, step] of steps) {
    if (gate && !(await gate.start(kind)).run) continue;
    await step()
      .catch((e) => (e instanceof BudgetSpent ? undefined : errors.push(`${name}: ${e?.message ?? e}`)))
      .finally(() => gate?.end(kind));
  }
  return errors;
}
