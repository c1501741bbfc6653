import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectPath } from '../../model/paths';
import { reportsRoot } from './paths';
import { type Verdicts, verdictLine } from './defects';

/** The Awesome plugin hard-codes a Google Tag Manager script; a report opened offline must not call out. */
export function stripAnalytics(html: string): string {
  return html
    .replace(/<script[^>]*googletagmanager[^>]*>\s*<\/script>/gi, '')
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?gtag\((?:(?!<\/script>)[\s\S])*?<\/script>/gi, '');
}

/** The history every run's report reads its trends from, shared by the runs of a checkout (the nightly workflow caches it). */
export const historyFile = (root = reportsRoot()) => join(root, 'history', 'history.jsonl');

const HISTORY_LIMIT = 30;

/** The lines of a history that parse, and how many did not (a render interrupted mid-line). */
export function readHistory(file: string): { lines: string[]; corrupt: number } {
  if (!existsSync(file)) return { lines: [], corrupt: 0 };
  const lines: string[] = [];
  let corrupt = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      JSON.parse(line);
      lines.push(line);
    } catch {
      corrupt++;
    }
  }
  return { lines, corrupt };
}

/** Runs `body` holding a lock next to `file` (a directory made atomically), so two runs append one at a time. */
async function locked<T>(file: string, body: () => T): Promise<T> {
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a minute was left by a killed run.
      if (i > 600) rmdirSync(lock);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return body();
  } finally {
    rmdirSync(lock);
  }
}

/** The report's name leads with what the run found (`2 defects · ...`): the first line a person reads. */
function reportName(runDir: string): string {
  const file = join(runDir, 'defects.json');
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Verdicts;
    const u = v.unjudged?.rules.length ? ` · ${v.unjudged.rules.length} of ${v.unjudged.of} rules unjudged under ${v.unjudged.profile}` : '';
    return `${verdictLine(v)}${u} · Polytomic API conformance`;
  } catch {
    return 'Polytomic API conformance';
  }
}

/**
 * Renders a run's Allure report from its results (Allure 3 CLI), as one HTML file that opens from
 * disk (ALLURE_SINGLE_FILE=0: a directory of files, which a browser opens only when served, e.g.
 * `npx allure open <dir>`), and strips the analytics script. The report reads a copy of the shared
 * history (lines a broken write left are skipped, with a warning) and its new line is appended to
 * the shared one under a lock, so runs in one checkout never break it for each other. Returns
 * index.html's path.
 */
export async function renderReport(results: string, out: string, history = historyFile()): Promise<string> {
  if (!existsSync(results)) throw new Error(`no Allure results in ${results}; run npm run conformance first`);
  // Allure nests the report one level down when the output directory is not empty.
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const own = join(dirname(out), 'history.jsonl');
  const before = readHistory(history);
  if (before.corrupt) process.stderr.write(`report: skipped ${before.corrupt} broken line(s) of ${history} (a render cut short); the next render rewrites it whole\n`);
  writeFileSync(own, before.lines.map((l) => `${l}\n`).join(''));
  const config = join(dirname(out), 'allurerc.json');
  writeFileSync(
    config,
    JSON.stringify({
      name: reportName(dirname(out)),
      output: out,
      historyPath: own,
      historyLimit: HISTORY_LIMIT,
      // Failed tests in the three kinds a failure is (fixtures.ts labels them); a defect's tests together.
      categories: [
        { name: 'Defects', matchers: { labels: { outcome: 'defect' } }, groupBy: [{ label: 'defect' }], expand: true },
        { name: 'Setups the target refused', matchers: { labels: { outcome: 'refused' } } },
        { name: 'Errors of the suite', matchers: { labels: { outcome: 'suite error' } } },
      ],
      plugins: { awesome: { options: { singleFile: process.env.ALLURE_SINGLE_FILE !== '0', reportLanguage: 'en', groupBy: ['epic', 'feature'] } } },
    }),
  );
  const cli = projectPath('node_modules/allure/cli.js');
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, [cli, 'generate', results, '--config', config, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (c) => done(c ?? 1));
  });
  if (code !== 0) throw new Error(`allure generate failed with exit code ${code}`);
  const known = new Set(before.lines);
  const added = readHistory(own).lines.filter((l) => !known.has(l));
  await locked(history, () => {
    // Rewritten whole (broken lines dropped, the oldest past the limit too), aside and renamed into place.
    const lines = [...readHistory(history).lines, ...added].slice(-HISTORY_LIMIT);
    writeFileSync(`${history}.${process.pid}`, lines.map((l) => `${l}\n`).join(''));
    renameSync(`${history}.${process.pid}`, history);
  });
  const index = join(out, 'index.html');
  writeFileSync(index, stripAnalytics(readFileSync(index, 'utf8')));
  return index;
}
