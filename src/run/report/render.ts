import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../model/paths';

export const RESULTS_DIR = 'reports/allure-results';
export const REPORT_DIR = 'reports/allure-report';

/** The Awesome plugin hard-codes a Google Tag Manager script; a report opened offline must not call out. */
export function stripAnalytics(html: string): string {
  return html
    .replace(/<script[^>]*googletagmanager[^>]*>\s*<\/script>/gi, '')
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*?<\/script>/gi, '');
}

/**
 * Renders the Allure HTML report from the results (Allure 3 CLI, allurerc.mjs) once per run,
 * appending one line to the history, and strips the analytics script. Returns index.html's path.
 */
export async function renderReport(results = RESULTS_DIR, out = REPORT_DIR): Promise<string> {
  // Allure nests the report one level down when the output directory is not empty.
  rmSync(out, { recursive: true, force: true });
  if (!existsSync(results)) throw new Error(`no Allure results in ${results}; run npm run conformance first`);
  const cli = projectPath('node_modules/allure/cli.js');
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, [cli, 'generate', results, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (c) => done(c ?? 1));
  });
  if (code !== 0) throw new Error(`allure generate failed with exit code ${code}`);
  const index = join(out, 'index.html');
  writeFileSync(index, stripAnalytics(readFileSync(index, 'utf8')));
  return index;
}
