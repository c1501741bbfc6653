import type { RunConfig } from '../model/config';
import type { Operation, Spec } from '../model/spec/load';
import type { Target } from '../target/target';
import type { SuiteEnv } from './env';
import type { Mode } from './generation/requests';
import { operationProperty } from './properties/operation';
import { checkProperty, type PropertyOutcome } from './properties/runner';
import { EXAMPLE_SUITES, type ExampleSuiteName, probeMethods } from './suites/examples';
import { workflows } from './workflows';
import { membershipOf, modelCommands, NO_MEMBERSHIP, runModel } from './workflows/model';

/** The kind of a scenario: what a conformance test file holds, and what a request budget shares out. */
export type ScenarioKind = 'operations' | 'workflows' | 'methods' | 'model' | 'properties';

/** How one run of a scenario is made: its seed and sizes, and how a step of it is reported. */
export interface RunOptions {
  seed: number;
  runs: number;
  model: RunConfig['model'];
  /** fast-check replay paths, replaying one counterexample exactly. */
  path?: string;
  commandsPath?: string;
  /** The title filter that selects this scenario's test (for replay commands). */
  grep: string;
  /** Runs a named part of the scenario (a Playwright step in a test; a plain call elsewhere). */
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
}

/**
 * One scenario of the suite: it decides what to send; every answer is judged by the checks. A
 * property returns its outcome (the shrunk counterexample, if it failed); the rest return nothing.
 */
export interface Scenario {
  kind: ScenarioKind;
  /** The report group (a test's describe title): an operation's area and id, or a workflow's group. */
  group: string;
  title: string;
  operation?: Operation;
  /** A property's mode. */
  mode?: Mode;
  /** Why it cannot run on this target, if it cannot. */
  skip?(target: Target): string | undefined;
  run(env: SuiteEnv, opts: RunOptions): Promise<PropertyOutcome | undefined>;
}

const EXAMPLE_STEPS: Record<ExampleSuiteName, string> = {
  valid: 'a valid request gets a conforming answer',
  credentials: 'credentials are enforced',
  malformed: 'malformed ids and headers are rejected',
  invalidBodies: 'invalid bodies are rejected',
  unknownIds: 'unknown ids are not found',
};

export const PROPERTY_MODES = ['positive', 'negative', 'boundary'] as const;

const readOnly = (op: Operation) => (t: Target) => (op.method !== 'get' && t.config.readOnly ? 'POLYTOMIC_READ_ONLY=1: this operation changes state' : undefined);

/**
 * Every scenario of the suite, in the order a run takes them: each operation's examples, every
 * workflow, each path's undeclared methods, the model run, each operation's properties in three
 * modes. tests/conformance/ makes a test of each; the self-check runs them all in one process:
 * one list, so the two cannot differ.
 */
export function scenarios(spec: Spec): Scenario[] {
  const out: Scenario[] = [];
  for (const op of spec.operations) {
    out.push({
      kind: 'operations',
      group: `${op.area} › ${op.id}`,
      title: 'examples conform',
      operation: op,
      skip: readOnly(op),
      run: async (env, o) => {
        for (const [name, title] of Object.entries(EXAMPLE_STEPS) as [ExampleSuiteName, string][]) {
          if (name === 'invalidBodies' && !op.requestBody) continue;
          if (name === 'unknownIds' && !op.path.includes('{')) continue;
          await o.step(title, () => EXAMPLE_SUITES[name](op, env));
        }
        return undefined;
      },
    });
  }
  for (const w of workflows(spec)) out.push({ kind: 'workflows', group: w.group, title: w.title, skip: w.skip, run: (env) => w.run(env).then(() => undefined) });
  for (const path of spec.methodsByPath.keys()) {
    out.push({
      kind: 'methods',
      group: 'Undeclared methods',
      title: `${path} answers undeclared methods with 405`,
      skip: (t) => (t.config.readOnly ? 'POLYTOMIC_READ_ONLY=1: a server that wrongly implements an undeclared method could change state' : undefined),
      run: (env) => probeMethods(path, env).then(() => undefined),
    });
  }
  const membership = membershipOf(spec);
  out.push({
    kind: 'model',
    group: 'Model-based',
    title: membership ? `${membership.member.kind} and ${membership.referred.kind} operations agree with the model` : 'the model run',
    skip: (t) => (!membership ? NO_MEMBERSHIP : t.config.readOnly ? 'POLYTOMIC_READ_ONLY=1: the model run creates and deletes instances' : undefined),
    run: (env, o) => checkProperty(env, modelCommands(o.model.commands, o.commandsPath), (cmds, e) => runModel(e, membership!, cmds), { seed: o.seed, numRuns: o.model.runs, path: o.path, grep: o.grep }),
  });
  for (const op of spec.operations) {
    for (const mode of PROPERTY_MODES) {
      out.push({
        kind: 'properties',
        group: `${op.area} › ${op.id}`,
        title: `${mode} generated requests conform`,
        operation: op,
        mode,
        skip: readOnly(op),
        run: (env, o) => operationProperty(env, op, mode, { seed: o.seed, numRuns: o.runs, path: o.path, grep: o.grep }),
      });
    }
  }
  return out;
}
