import { conformanceBody, detailsOf, scenariosOf, test } from '../../src/run/fixtures';

/**
 * Example-based conformance of every operation (src/run/suites/examples.ts): a valid request,
 * every kind of bad credential, malformed ids and headers, invalid bodies and unknown ids, each a
 * step of the operation's test. Every answer is judged by every check (src/checks/); the verdict
 * fails the test on any finding and reports its check id, curl line and replay command.
 */
for (const s of scenariosOf('operations')) test.describe(s.group, () => test(s.title, detailsOf(s), conformanceBody(s)));
