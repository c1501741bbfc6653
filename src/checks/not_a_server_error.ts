import { defineCheck } from './types';

export default defineCheck({
  id: 'not_a_server_error',
  title: 'No 5xx for any request',
  severity: 'blocker',
  restsOn: 'RFC 9110 section 15.6: a 5xx is the server\'s failure, whatever the input',
  judged: { everyAnswer: 'every answer' },
  description: 'Whatever the input, the server must answer without a server error (5xx), documented or not.',
  run(ex) {
    if (ex.response.status >= 500) {
      return { message: `server error ${ex.response.status}`, actual: ex.response.status, rule: `server error ${ex.response.status}`, basis: 'spec' };
    }
  },
});
