import { UserError } from '../errors';
import { renderReport } from '../report/render';
import { main } from './run';

/** `npm run report`: renders reports/allure-results to reports/allure-report (ALLURE_SINGLE_FILE=1 for one file). */
main('report', async () => {
  const index = await renderReport().catch((e) => {
    throw new UserError(e.message);
  });
  process.stdout.write(`report: ${index}\n`);
  return 0;
});
