import { conformanceBody, detailsOf, scenariosOf, test } from '../../src/run/fixtures';

/**
 * Property-based conformance: for every operation, requests generated from the spec in three
 * modes — positive (valid), negative (exactly one rule broken), boundary (the edges) — each judged
 * by every check. Failures are shrunk to a minimal request, replayed alone, and carry a replay
 * command; the regression corpus is replayed first.
 */
for (const s of scenariosOf('properties')) test.describe(s.group, () => test(s.title, detailsOf(s), conformanceBody(s)));
