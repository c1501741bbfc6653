import { EXAMPLE_SUITES } from '../../src/run/suites/examples';
import { currentSpec } from '../../src/run/current';
import { aboutOperation, readOnlyGuard, test } from '../../src/run/fixtures';

/**
 * Example-based conformance of every operation (src/run/suites/examples.ts): a valid request,
 * every kind of bad credential, malformed ids and headers, invalid bodies and unknown ids, each a
 * step of the operation's test. Every response is judged by every check (src/checks/); the
 * verdict fails the test on any finding and reports its check id, curl line and replay command.
 */
const STEPS: Record<keyof typeof EXAMPLE_SUITES, string> = {
  valid: 'a valid request gets a conforming answer',
  credentials: 'credentials are enforced',
  malformed: 'malformed ids and headers are rejected',
  invalidBodies: 'invalid bodies are rejected',
  unknownIds: 'unknown ids are not found',
};

for (const op of currentSpec().operations) {
  test.describe(`${op.area} › ${op.id}`, () => {
    readOnlyGuard(op);
    test('examples conform', aboutOperation(op), async ({ env }) => {
      for (const [name, title] of Object.entries(STEPS) as [keyof typeof EXAMPLE_SUITES, string][]) {
        if (name === 'invalidBodies' && !op.requestBody) continue;
        if (name === 'unknownIds' && !op.path.includes('{')) continue;
        await test.step(title, () => EXAMPLE_SUITES[name](op, env));
      }
    });
  });
}
