import { defineCheck } from './types';

export default defineCheck({
  id: 'model_conformance',
  title: 'Responses agree with a model of the API',
  severity: 'critical',
  restsOn: 'the spec, as a small model of users and roles predicts it',
  judged: { atMoment: 'the model is its own oracle: it predicts each answer of the command sequence it runs, and a mismatch ends the sequence so fast-check can shrink it' },
  description: 'Random sequences of user and role operations get the answers a small in-test model of the API predicts.',
});
