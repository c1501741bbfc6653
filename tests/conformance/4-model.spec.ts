import { conformanceBody, detailsOf, scenariosOf, test } from '../../src/run/fixtures';

/**
 * Model-based run: random sequences of user and role operations (fast-check commands) against the
 * target and a small in-test model; any disagreement is `model_conformance`, shrunk to the
 * shortest failing sequence, which is replayed alone before it is reported.
 */
for (const s of scenariosOf('model')) test.describe(s.group, () => test(s.title, detailsOf(s), conformanceBody(s)));
