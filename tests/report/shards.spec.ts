import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mergeResults } from '../../src/run/report/merge';
import { readInputs, saveDefectInputs, saveRunInputs } from '../../src/run/report/derived';
import { startEmbeddedMock } from '../../src/run/embedded';
import { hermeticEnv } from '../support/processes';
import { allureGlobals } from '../support/allure';

/**
 * Scale-out: two Playwright shards of the conformance run together equal one unsharded run: their
 * merged Allure results count every case once, and the drift, coverage and defects recomputed on
 * merge are the unsharded run's, not one shard's.
 */
test.slow();
// The second test splits what the first run kept.
test.describe.configure({ mode: 'serial' });

function run(dir: string, env: Record<string, string>, extra: string[]): Promise<number | null> {
  rmSync(dir, { recursive: true, force: true });
  const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--project=conformance', '-g', 'Organizations|users_list', `--output=${dir}-out`, ...extra], {
    env: hermeticEnv({ ...env, ALLURE_RESULTS_DIR: dir }),
    stdio: 'ignore',
  });
  return new Promise((ok) => child.on('exit', ok));
}

/** name -> status of the Playwright cases (drift, coverage and defects are per run, merged apart). */
function cases(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-result.json'))) {
    const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    expect(out.has(r.fullName), `${r.fullName} counted twice`).toBe(false);
    out.set(r.fullName, r.status);
  }
  return out;
}

/** What the report's home page shows of the run as a whole: its defects, and the names of its drift and coverage attachments. */
const derived = (dir: string) => {
  const g = allureGlobals(dir);
  return { errors: g.errors.map((e) => e.message), attachments: g.attachments.map((a) => a.name.replace(/: reproduce\.sh$/, '')).sort() };
};

test('two shards equal one run: cases once each, and drift, coverage and defects as the unsharded run', { tag: '@heavy' }, async () => {
  // A target with a defect (organization answers lack their name) and drift (users carry an
  // undeclared field); one each, so that no run lists what another made.
  const mocks = await Promise.all([0, 1, 2].map(() => startEmbeddedMock({ faults: ['org_missing_name', 'undocumented_field'] })));
  try {
    const codes = await Promise.all([run('reports/selftest/shard-all', mocks[0].env, []), run('reports/selftest/shard-1', mocks[1].env, ['--shard=1/2']), run('reports/selftest/shard-2', mocks[2].env, ['--shard=2/2'])]);
    expect(codes).toEqual([1, 1, 1]);
  } finally {
    await Promise.all(mocks.map((m) => m.mock.close()));
  }
  const one = cases('reports/selftest/shard-1');
  const two = cases('reports/selftest/shard-2');
  expect(one.size).toBeGreaterThan(5);
  expect(two.size).toBeGreaterThan(5);
  expect([...one.keys()].filter((k) => two.has(k))).toEqual([]);

  const whole = mergeResults(['reports/selftest/shard-all'], 'reports/selftest/shard-all-merged', 'reports/selftest/shard-all-reports');
  const merged = mergeResults(['reports/selftest/shard-1', 'reports/selftest/shard-2'], 'reports/selftest/shard-merged', 'reports/selftest/shard-merged-reports');
  expect(cases('reports/selftest/shard-merged')).toEqual(cases('reports/selftest/shard-all'));

  // Each shard saw part of the run: merged, drift, defects and coverage are the whole run's. (What
  // a list answers depends on what other tests had made by then, so the response properties two
  // runs see may differ: coverage is compared on statuses and inputs.)
  const keys = (m: typeof whole) => ({ drift: m.drift!.findings.map((f) => `${f.key} ${f.state}`), defects: m.verdicts!.defects.map((d) => d.key) });
  expect(keys(whole).drift).toContain('users_create 200 undeclared_field /data/name new');
  expect(keys(whole).defects.some((k) => k.startsWith('contract_required_fields'))).toBe(true);
  expect(keys(merged)).toEqual(keys(whole));
  const statuses = (m: typeof whole) => m.coverage!.operations.map((o) => [o.operation, o.criteria['status codes'], o.criteria.parameters]);
  expect(statuses(merged)).toEqual(statuses(whole));
  const alone = [1, 2].map((n) => mergeResults([`reports/selftest/shard-${n}`], `reports/selftest/shard-${n}-merged`, `reports/selftest/shard-${n}-reports`));
  expect(merged.coverage!.requests).toBe(alone[0].coverage!.requests + alone[1].coverage!.requests);
  for (const a of alone) expect(a.coverage!.keywords.bothWays).toBeLessThan(merged.coverage!.keywords.bothWays);
  // Each shard's own are dropped: the merge shows the whole run's, once.
  expect(derived('reports/selftest/shard-merged')).toEqual(derived('reports/selftest/shard-all-merged'));
  expect(derived('reports/selftest/shard-merged').attachments.filter((n) => n.startsWith('drift.md'))).toHaveLength(1);
  expect(readFileSync('reports/selftest/shard-merged-reports/coverage.md', 'utf8')).toContain('| `organization_list` (GET /api/organizations) |');
});

test('a merge of one run split in two is that run, exactly', { tag: '@heavy' }, () => {
  // The observations the unsharded run kept, one worker's in each of two directories.
  const kept = readInputs(['reports/selftest/shard-all']);
  expect(kept.runs).toHaveLength(1);
  const [run] = kept.runs;
  for (const [n, part] of [[1, 0], [2, 1]] as const) {
    const dir = `reports/selftest/split-${n}`;
    rmSync(dir, { recursive: true, force: true });
    saveRunInputs(dir, 'split', String(n), { ...run, observations: run.observations.filter((_, i) => i % 2 === part), coverage: run.coverage.filter((_, i) => i % 2 === part) });
    saveDefectInputs(dir, 'split', String(n), kept.tests.filter((_, i) => i % 2 === part));
  }
  const whole = mergeResults(['reports/selftest/shard-all'], 'reports/selftest/split-all-merged', 'reports/selftest/split-all-reports');
  const merged = mergeResults(['reports/selftest/split-1', 'reports/selftest/split-2'], 'reports/selftest/split-merged', 'reports/selftest/split-merged-reports');
  // Each names the directory it was written to (what npm run repro -- --run takes): the rest is the same.
  const strip = (m: typeof whole) => ({ drift: { ...m.drift, generatedAt: '' }, coverage: m.coverage, verdicts: { ...m.verdicts, run: '' } });
  expect(strip(merged)).toEqual(strip(whole));
  expect(readFileSync('reports/selftest/split-merged-reports/coverage.md', 'utf8')).toBe(readFileSync('reports/selftest/split-all-reports/coverage.md', 'utf8'));
});
