import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mergeResults } from '../../src/run/report/merge';
import { hermeticEnv } from '../support/processes';
import type { Node } from '../../src/model/spec/pointer';

/**
 * Scale-out: two Playwright shards of the conformance run together equal one unsharded run, and
 * their merged Allure results count every case once.
 */
test.slow();

function run(dir: string, extra: string[]): Promise<number | null> {
  rmSync(dir, { recursive: true, force: true });
  const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--project=conformance', '-g', 'Organizations', `--output=${dir}-out`, ...extra], {
    env: hermeticEnv({ ALLURE_RESULTS_DIR: dir }),
    stdio: 'ignore',
  });
  return new Promise((ok) => child.on('exit', ok));
}

/** name -> status of the Playwright cases (the drift suite is per run, merged separately). */
function cases(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    if (r.labels?.some((l: Node) => l.name === 'parentSuite' && l.value === 'drift')) continue;
    expect(out.has(r.fullName), `${r.fullName} counted twice`).toBe(false);
    out.set(r.fullName, r.status);
  }
  return out;
}

test('two shards equal one run, and their merged report counts each case once', async () => {
  const [whole, a, b] = await Promise.all([run('reports/shard-all', []), run('reports/shard-1', ['--shard=1/2']), run('reports/shard-2', ['--shard=2/2'])]);
  expect([whole, a, b]).toEqual([0, 0, 0]);
  const one = cases('reports/shard-1');
  const two = cases('reports/shard-2');
  expect(one.size).toBeGreaterThan(5);
  expect(two.size).toBeGreaterThan(5);
  expect([...one.keys()].filter((k) => two.has(k))).toEqual([]);

  const merged = mergeResults(['reports/shard-1', 'reports/shard-2'], 'reports/shard-merged');
  const union = cases('reports/shard-merged');
  expect(union).toEqual(cases('reports/shard-all'));
  // Drift coverage is written by each shard: merged, each operation's coverage case is kept once.
  const driftNames = readdirSync('reports/shard-merged')
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join('reports/shard-merged', f), 'utf8')))
    .filter((r) => r.labels?.some((l: Node) => l.value === 'drift'))
    .map((r) => r.name);
  expect(new Set(driftNames).size).toBe(driftNames.length);
  expect(merged.results).toBe(union.size + driftNames.length);
});
