import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readFileSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import { readConfig } from '../../src/model/config';
import { Budget, requestsOf, testTimeoutMs } from '../../src/run/coordinator';
import { Pacer } from '../../src/target/gate';
import { startEmbeddedMock } from '../../src/run/embedded';
import { mergeResults } from '../../src/run/report/merge';
import { hermeticEnv } from '../support/processes';

/**
 * One request rate and one request budget for the whole run, whatever its workers and shards:
 * the arithmetic, then measured on runs against a mock.
 */

test('a pacer spaces requests at the rate and refuses tests past the budget, never cleanup', () => {
  const p = new Pacer(10, 3);
  expect([p.slot('test', 0), p.slot('test', 0), p.slot('test', 0)]).toEqual([0, 100, 200]);
  expect(p.slot('test', 0)).toBeUndefined();
  expect(p.slot('cleanup', 0)).toBe(300);
  expect([p.spent, p.cleanup, p.remaining]).toEqual([3, 1, 0]);
});

test('a budget pays for the essential tests first and shares what is left among exploration, by weight', () => {
  const b = new Budget(0, 1000);
  b.plan({ operations: 10, workflows: 2, model: 1, properties: 8 });
  // Essential tests run while anything is left; what they cost is learnt as they end.
  for (let i = 0; i < 10; i++) {
    expect(b.start('operations').run).toBe(true);
    b.pacer.spent += 40;
    b.end('operations', 40);
  }
  // Two workflows still to come, at 20 each (the default before one has ended): 40 kept for them.
  // The model weighs as ten property tests: (600 - 40) * 10 / (10 + 8).
  expect(b.start('model')).toEqual({ run: true, requests: Math.floor((560 * 10) / 18) });
  b.pacer.spent += 311;
  b.end('model', 311);
  for (let i = 0; i < 2; i++) expect(b.start('workflows').run).toBe(true);
  b.pacer.spent += 40;
  b.end('workflows', 20);
  b.end('workflows', 20);
  // 249 left for 8 property tests.
  expect(b.start('properties')).toEqual({ run: true, requests: 31 });
  b.pacer.spent = 998;
  // Fewer than 3 requests explore nothing worth a test: skipped; an essential test still runs.
  expect(b.start('properties').run).toBe(false);
  expect(b.start('operations').run).toBe(true);
  b.pacer.spent = 1000;
  expect(b.start('operations').run).toBe(false);
});

test('without a budget every test runs, unlimited', () => {
  const b = new Budget(20);
  expect(b.start('properties')).toEqual({ run: true });
});

test.describe('measured on runs', { tag: '@heavy' }, () => {
  test.slow();

  test('CONFORMANCE_BUDGET=1000 spends at most 1000 requests and still reaches every operation', async () => {
    const dir = 'reports/selftest/budget-1000';
    rmSync(dir, { recursive: true, force: true });
    const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--project=conformance', `--output=${dir}-out`], {
      env: hermeticEnv({ ALLURE_RESULTS_DIR: dir, CONFORMANCE_BUDGET: '1000' }),
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const code = await new Promise((ok) => child.on('exit', ok));
    expect(code, out.slice(-2000)).toBe(0);
    const spent = /budget: (\d+) of 1000 requests spent/.exec(out);
    expect(spent, out.slice(-2000)).not.toBeNull();
    expect(Number(spent![1])).toBeLessThanOrEqual(1000);
    const { coverage } = mergeResults([dir], `${dir}-merged`, `${dir}-reports`);
    expect(coverage!.requests).toBeLessThanOrEqual(1000);
    expect(coverage!.criteria.operations[0]).toBe(coverage!.criteria.operations[1]);
    expect(coverage!.operations.every((o) => o.level >= 2)).toBe(true);
  });

  test('CONFORMANCE_RPS is the rate of the whole run: two shards of two workers each stay under it at the mock', async () => {
    const RPS = 10;
    const arrivals: number[] = [];
    const { mock, env } = await startEmbeddedMock({ onRequest: () => arrivals.push(performance.now()) });
    try {
      const shard = (n: number) =>
        new Promise<number | null>((ok) =>
          spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '--project=conformance', '-g', 'organization_list', `--shard=${n}/2`, `--output=reports/rate-${n}-out`], {
            env: hermeticEnv({ ...env, CONFORMANCE_RPS: String(RPS), CONFORMANCE_WORKERS: '2', ALLURE_RESULTS_DIR: `reports/selftest/rate-${n}` }),
            stdio: 'ignore',
          }).on('exit', ok),
        );
      expect(await Promise.all([shard(1), shard(2)])).toEqual([0, 0]);
    } finally {
      await mock.close();
    }
    arrivals.sort((a, b) => a - b);
    expect(arrivals.length).toBeGreaterThan(60);
    // The busiest second, at the mock. Each shard may gain one request in a second from network
    // jitter (a request that left on time arriving early relative to the one before).
    let busiest = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[j] < arrivals[i] - 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(RPS + 2);
    // And the run did go at about that rate (it was not slowed by something else).
    expect(busiest).toBeGreaterThanOrEqual(RPS - 2);
  });
});

test.describe('test timeouts', () => {
  const nightly = readConfig({ CONFORMANCE_PROFILE: 'nightly', CONFORMANCE_SEED: '1' });
  const pr = readConfig({});

  test('on the mock a test keeps the minute; the nightly model run gets what its requests take', () => {
    expect(testTimeoutMs(requestsOf('properties', pr), 0, 0)).toBe(60_000);
    expect(testTimeoutMs(requestsOf('workflows', pr), 0, 0)).toBe(60_000);
    // The nightly model run against a live target at 20 requests/s shared by 2 workers: 60 runs of
    // up to 40 commands, each run from two users of its own.
    const requests = requestsOf('model', nightly);
    expect(requests).toBeGreaterThanOrEqual(60 * 40);
    const pace = 2 / 20;
    expect(testTimeoutMs(requests, pace)).toBeGreaterThan(requests * pace * 1000 * 1.5);
    // A share of a budget bounds it, where it is the smaller.
    expect(requestsOf('model', nightly, 500)).toBe(500);
    expect(requestsOf('model', pr, 5000)).toBe(requestsOf('model', pr));
  });

  test('the nightly workflow fits its job timeout: its budget at the whole-run rate, and its slowest test', () => {
    const wf = parse(readFileSync('.github/workflows/nightly.yml', 'utf8'));
    const job = wf.jobs.conformance;
    const shards: number = job.strategy.matrix.shard.length;
    const budget = Number(job.env.CONFORMANCE_BUDGET);
    const rps = Number(job.env.CONFORMANCE_RPS ?? 20);
    const jobSeconds = job['timeout-minutes'] * 60;
    // Every shard runs its part of the budget at its part of the rate, all at once; cleanup on top
    // (measured: 5,626 cleanup requests for a budget of 24,000, so a third more is room to spare).
    const runSeconds = ((budget / shards) * 1.33) / (rps / shards);
    expect(runSeconds).toBeLessThan(jobSeconds / 2);
    // The slowest single test (the nightly model run, were its share the whole shard's budget), at
    // the pace of one of two workers, times out before the job does.
    const pace = 2 / (rps / shards);
    expect(testTimeoutMs(requestsOf('model', nightly, budget / shards), pace)).toBeLessThan(jobSeconds * 1000);
  });
});
