import { conformanceBody, detailsOf, scenariosOf, test } from '../../src/run/fixtures';

/**
 * Deterministic workflows over state (src/run/workflows/): lifecycles, built-in instances,
 * references, tenant isolation and idempotency for every resource the spec declares, then the
 * workflows of single rules. They decide what to send; the checks judge every answer.
 */
for (const s of scenariosOf('workflows')) test(`${s.group} › ${s.title}`, detailsOf(s), conformanceBody(s));
