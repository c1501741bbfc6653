import { defineCheck } from './types';

export default defineCheck({
  id: 'max_response_time',
  title: 'Response time within budget',
  severity: 'minor',
  description: 'Each response arrives within the budget (CONFORMANCE_MAX_RESPONSE_MS, default 2000 ms).',
  run(ex, ctx) {
    const ms = Math.round(ex.response.elapsedMs);
    if (ms > ctx.maxResponseTimeMs) return { message: `took ${ms} ms, budget ${ctx.maxResponseTimeMs} ms`, expected: ctx.maxResponseTimeMs, actual: ms };
  },
});
