import { defineCheck } from './types';

export default defineCheck({
  id: 'idempotent_replay',
  title: 'An idempotency key replays the first outcome',
  severity: 'critical',
  restsOn: "invariant idempotency, and the profile's answers to idempotency_scope, idempotency_on_put and idempotency_on_delete",
  judged: { atMoment: 'only a scenario repeats a key, on purpose, and knows which answers are repeats of which (two sent at once among them)' },
  description: "A create repeated with the same idempotency key (the header the spec marks x-unique-per-request) gets the first outcome and makes nothing new, whatever the repeat's body; concurrent duplicates never both run; scope, PUT and DELETE behave as the profile says.",
});
