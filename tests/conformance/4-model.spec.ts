import { checkProperty } from '../../src/run/properties/runner';
import { grepFor } from '../../src/run/report/failure';
import { test } from '../../src/run/fixtures';
import { modelCommands, runModel } from '../../src/run/workflows/model';

/**
 * Model-based run: random sequences of user and role operations (fast-check commands) against the
 * target and a small in-test model; any disagreement is `model_conformance`, shrunk to the
 * shortest failing sequence.
 */
test.describe('Model-based', () => {
  test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: the model run creates and deletes users and roles');

  test('user and role operations agree with the model', async ({ target, env }, testInfo) => {
    const { seed, replayPath, commandsPath, model } = target.config;
    // Sequences are judged as a whole: only the shrunk counterexample reaches the verdict.
    const outcome = await checkProperty(env.recording, modelCommands(model.commands, commandsPath), (cmds, e) => runModel(e, cmds), {
      seed,
      numRuns: model.runs,
      path: replayPath,
      grep: grepFor(testInfo.title),
    });
    await env.verdict.property(outcome);
  });
});
