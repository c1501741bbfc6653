import type { SuiteEnv } from '../env';
import { operationProperty } from '../properties/operation';
import { checkProperty } from '../properties/runner';
import { EXAMPLE_SUITES, probeMethods } from '../suites/examples';
import { workflows } from '../workflows';
import { modelCommands, runModel } from '../workflows/model';

/**
 * The whole conformance suite as one in-process scenario (what tests/conformance/ runs, minus
 * Playwright), for the self-check: example suites on every operation, method probes, every
 * workflow, the model and the three property modes.
 */
export async function wholeSuite(env: SuiteEnv, runs = 20): Promise<string[]> {
  const { spec } = env.target;
  const steps: [string, () => Promise<unknown>][] = [];
  for (const op of spec.operations) {
    for (const [name, suite] of Object.entries(EXAMPLE_SUITES)) {
      if (name === 'invalidBodies' && !op.requestBody) continue;
      steps.push([`${op.id} ${name}`, () => suite(op, env)]);
    }
    for (const mode of ['positive', 'negative', 'boundary'] as const) {
      steps.push([`${op.id} ${mode}`, () => operationProperty(env, op, mode, { seed: 424242, numRuns: runs, grep: op.id })]);
    }
  }
  for (const path of spec.methodsByPath.keys()) steps.push([`methods ${path}`, () => probeMethods(path, env)]);
  for (const w of workflows(spec)) if (!w.skip?.(env.target)) steps.push([w.title, () => w.run(env)]);
  steps.push(['model', async () => checkProperty(env, modelCommands(10), (cmds, e) => runModel(e, cmds), { seed: 7, numRuns: 20, grep: 'model' })]);
  // A step the server's answers break is not a finding of any check: it is listed apart.
  const errors: string[] = [];
  for (const [name, step] of steps) await step().catch((e) => errors.push(`${name}: ${e?.message ?? e}`));
  return errors;
}
