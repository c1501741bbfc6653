import { either, expectedFromProfile } from './expect';
import { defineCheck } from './types';

export default defineCheck({
  id: 'unknown_ids_not_found',
  title: 'Unknown ids are not found',
  severity: 'critical',
  restsOn: 'the profile\'s answer to not_found_status',
  judged: { everyAnswer: 'every request naming an id that names nothing' },
  description: "A well-formed id that names nothing gets the target profile's not-found answer (not_found_status): never data, never a 2xx, never a 5xx.",
  run(ex, ctx) {
    if (ex.intent.kind !== 'not_found') return;
    const expected = expectedFromProfile(ctx, 'unknown_ids_not_found', 'not_found_status');
    if (expected.statuses.includes(ex.response.status)) return;
    return { message: `${ex.intent.param} names nothing, got ${ex.response.status}, expected ${either(expected.statuses)}`, expected: expected.statuses, actual: ex.response.status, ...expected.cite };
  },
});
