import { defineCheck } from './types';

export default defineCheck({
  id: 'max_response_time',
  title: 'Response time within budget',
  severity: 'minor',
  restsOn: 'the configured response-time budget (a choice, not a fact of the API)',
  judged: { everyAnswer: 'every answer' },
  description: 'Each response arrives within the budget (maxResponseTimeMs in the configuration, or CONFORMANCE_MAX_RESPONSE_MS; default 2000 ms).',
  run(ex, ctx) {
    const ms = Math.round(ex.response.elapsedMs);
    const budget = ctx.config.maxResponseTimeMs;
    if (ms > budget) return { message: `took ${ms} ms, budget ${budget} ms`, expected: budget, actual: ms, rule: `response time ${ex.operation?.id ?? ex.request.method}`, basis: 'guess', note: 'the configured response-time budget' };
  },
});
