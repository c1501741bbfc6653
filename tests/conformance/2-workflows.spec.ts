import { currentSpec } from '../../src/run/current';
import { test } from '../../src/run/fixtures';
import { workflows } from '../../src/run/workflows';

/**
 * Deterministic workflows over state (src/run/workflows/): lifecycles, built-in instances,
 * references, tenant isolation and idempotency for every resource the spec declares, then the
 * workflows of single rules. Each rule is a named stateful check.
 */
for (const w of workflows(currentSpec())) {
  test(`${w.group} › ${w.title}`, async ({ env, target }) => {
    const why = w.skip?.(target);
    test.skip(why !== undefined, why);
    await w.run(env);
  });
}
