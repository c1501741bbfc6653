import { either, expectedFromProfile, GRACE_OPTION, graceOf } from './expect';
import { defineCheck, type Draft } from './types';

export default defineCheck({
  id: 'use_after_free',
  title: 'Deleted resources are gone',
  severity: 'critical',
  restsOn: "the spec (a delete removes the instance) and the profile's answer to not_found_status (what a read of it then gets)",
  judged: { everyAnswer: 'every read, list and write the run sends after a delete was answered, in whichever test of the worker' },
  description:
    "Once a delete of an instance was answered with a 2xx, no later answer shows it: a read of it (or of anything inside it) gets the not-found answer, no list holds it, and no other request naming it succeeds. A repeated DELETE may answer as it likes.",
  options: GRACE_OPTION,
  run(ex, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    if (!v.mine) return;
    const before = v.sent - graceOf(ctx, 'use_after_free');
    const { status } = ex.response;
    const out: Draft[] = [];
    for (const n of v.named) {
      const k = seen.known(n.id);
      const gone = k && seen.goneBefore(k, before);
      if (!k || !gone) continue;
      const what = gone !== k ? `a ${k.kind} whose ${gone.kind} was deleted` : `a deleted ${k.kind}`;
      const which = { instance: k.id, deleted: gone.id };
      const expected = expectedFromProfile(ctx, 'use_after_free', 'not_found_status');
      if (v.ok && ex.request.method !== 'DELETE') {
        out.push({ message: `${what} answered ${status} to ${ex.operation.id}`, expected: { ...which, statuses: expected.statuses }, actual: status, rule: `deleted ${k.kind} answered ${ex.operation.id}`, basis: 'spec' });
      } else if (!v.ok && v.fair && ex.request.method === 'GET' && status < 500 && status !== 429 && !expected.statuses.includes(status)) {
        out.push({ message: `${what} answers ${status} to ${ex.operation.id}, not the not-found answer (${either(expected.statuses)})`, expected: { ...which, statuses: expected.statuses }, actual: status, ...expected.cite });
      }
      break;
    }
    if (v.ok && v.answered?.list) {
      v.items.forEach((item, i) => {
        const k = seen.known(item.id);
        const gone = k && seen.goneBefore(k, before);
        if (k && gone) out.push({ message: `${ex.operation!.id} lists a ${k.kind} after ${gone === k ? 'it was' : `its ${gone.kind} was`} deleted`, pointer: `/data/${i}`, actual: { instance: k.id, deleted: gone.id }, rule: `deleted ${k.kind} listed by ${ex.operation!.id}`, basis: 'spec' });
      });
    }
    return out;
  },
});
