import { defineCheck } from './types';

export default defineCheck({
  id: 'unsupported_method',
  title: 'Undeclared methods get 405',
  severity: 'normal',
  description: 'A method the path does not declare (PATCH on the update routes, as old docs showed) gets 405 with an Allow header.',
  run(ex, ctx) {
    if (ex.intent.kind !== 'method_probe') return;
    const expected = ctx.contracts.choices.unsupported_method_status;
    if (ex.response.status !== expected) {
      return { message: `${ex.request.method} ${ex.request.path} got ${ex.response.status}, expected ${expected}`, expected, actual: ex.response.status };
    }
    if (!ex.response.headers.allow) return { message: `${expected} without an Allow header` };
  },
});
