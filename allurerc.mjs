// Allure 3 report configuration (`npm run report`, and the end of `npm run conformance`).
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'Polytomic API conformance',
  output: './reports/allure-report',
  historyPath: './reports/history/history.jsonl',
  historyLimit: 30,
  plugins: {
    awesome: { options: { singleFile: process.env.ALLURE_SINGLE_FILE === '1', reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] } },
  },
});
