import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { historyFile, readHistory } from '../../src/run/report/render';
import { hermeticEnv, startMockProcess, stopProcess } from '../support/processes';

/**
 * Runs in one checkout never spoil each other's reports: two started at once each finish with a
 * complete report of its own, and the history they share, which a broken line once made every
 * later run fail, costs a warning when a line is corrupt and is rewritten whole.
 */
test.slow();

function conformance(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'users_get'], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((ok) => child.on('exit', (code) => ok({ code, out: stripVTControlCharacters(out) })));
}

test('two runs started at once in one checkout each finish with a complete report of their own; a corrupt history line is a warning', async ({}, testInfo) => {
  const { child, url } = await startMockProcess({ MOCK_FAULTS: 'user_email_number' });
  const root = testInfo.outputPath('reports');
  try {
    // A render cut short left half a line in the shared history.
    const history = historyFile(root);
    mkdirSync(join(root, 'history'), { recursive: true });
    writeFileSync(history, '{"uuid":"a","name":"an earlier run"}\n{"uuid":"b","na');
    const env = (runId: string) => hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_RPS: '0', CONFORMANCE_REPORTS_DIR: root, CONFORMANCE_RUN_ID: runId });
    const runs = await Promise.all([conformance(env('ct-twin-a')), conformance(env('ct-twin-b'))]);
    for (const [i, r] of runs.entries()) {
      const id = ['ct-twin-a', 'ct-twin-b'][i];
      // The fault fails each run the same way: exit 1, its defect, nothing of the other's.
      expect(r.code, r.out).toBe(1);
      expect(r.out).not.toMatch(/internal error|retried/i);
      expect(r.out).toMatch(/\n1 defect:\n/);
      expect(r.out).toMatch(/report: .*allure-report\/index\.html/);
      const dir = join(root, 'runs', id);
      for (const f of ['defects.md', 'defects.json', 'junit.xml', 'drift.md', 'coverage.md', 'allure-report/index.html']) expect(existsSync(join(dir, f)), `${id}/${f}`).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'defects.json'), 'utf8')).run).toBe(id);
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*tests="8" failures="\d+"/);
    }
    // At least one of the two read the broken line: it said so, and went on.
    expect(runs.map((r) => r.out).join('\n')).toMatch(/report: skipped 1 broken line\(s\) of .*history\.jsonl/);
    const after = readHistory(history);
    expect(after.corrupt).toBe(0);
    expect(after.lines.length).toBe(3);
  } finally {
    await stopProcess(child);
  }
});
