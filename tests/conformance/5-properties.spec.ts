import { operationProperty, replayRegression } from '../../src/run/properties/operation';
import { regressionsFor, saveRegression } from '../../src/run/properties/corpus';
import { grepFor } from '../../src/run/report/failure';
import { currentSpec } from '../../src/run/current';
import { aboutOperation, readOnlyGuard, test } from '../../src/run/fixtures';

/**
 * Property-based conformance: for every operation, requests generated from the spec in three
 * modes — positive (valid), negative (exactly one rule broken), boundary (the edges) — each judged
 * by every check. Failures are shrunk to a minimal request and carry a replay command.
 */
const MODES = ['positive', 'negative', 'boundary'] as const;

for (const op of currentSpec().operations) {
  test.describe(`${op.area} › ${op.id}`, () => {
    readOnlyGuard(op);
    for (const mode of MODES) {
      test(`${mode} generated requests conform`, aboutOperation(op), async ({ target, env }, testInfo) => {
        const grep = grepFor(testInfo.titlePath.slice(1).join(' '));
        // The regression corpus first: every failure found before is replayed, its stored request as it was.
        for (const r of target.config.replayPath ? [] : regressionsFor(grep)) {
          const { outcome: replayed, note } = await replayRegression(env.recording, op, mode, r, grep);
          if (note) testInfo.annotations.push({ type: 'regression', description: note });
          if (replayed) await env.verdict.property(replayed);
        }
        const outcome = await operationProperty(env.recording, op, mode, { seed: target.config.seed, numRuns: target.config.runs, path: target.config.replayPath, grep });
        test.skip(!outcome, `${op.id} has no ${mode} inputs to generate`);
        if (outcome!.failure) saveRegression(grep, outcome!);
        await env.verdict.property(outcome!);
      });
    }
  });
}
