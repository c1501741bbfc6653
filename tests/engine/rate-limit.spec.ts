import { expect, test } from '@playwright/test';
import { startMock } from '../../mock/server';
import { performance } from 'node:perf_hooks';
import { HttpClient } from '../../src/target/http';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { idempotencyScopeAndMethods } from '../../src/run/workflows/idempotency';
import { budget } from '../support/processes';

/** The client honours 429 Retry-After and its own rate cap, against the mock's rate-limited mode. */
test('429s are waited out for Retry-After, and a client-side cap avoids them', async () => {
  const mock = await startMock({ port: 0, rateLimit: { rps: 5, burst: 5 } });
  const req = { method: 'GET', path: '/api/organizations', headers: { Authorization: 'Bearer poly_partner_main_key' } };
  try {
    const eager = new HttpClient(mock.url);
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await eager.send(req));
    eager.close();
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    const limited = results.flatMap((r) => r.rateLimited);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => r.status === 429 && Number(r.headers['retry-after']) >= 1)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    await new Promise((r) => setTimeout(r, 1200)); // let the bucket refill
    const polite = new HttpClient(mock.url, { rps: 4 });
    const calm = [];
    for (let i = 0; i < 8; i++) calm.push(await polite.send(req));
    polite.close();
    expect(calm.flatMap((r) => r.rateLimited)).toEqual([]);
    expect(calm.every((r) => r.response.status === 200)).toBe(true);
  } finally {
    await mock.close();
  }
});

test('concurrent duplicates leave together under a rate cap, and the burst keeps every second within the rate', async () => {
  const arrivals: { at: number; key?: string; path: string }[] = [];
  const RPS = 10;
  const r = await runAgainstMock(
    { env: { CONFORMANCE_RPS: String(RPS) }, mock: { onRequest: (req) => arrivals.push({ at: performance.now(), key: req.headers['idempotency-key'] as string | undefined, path: req.url ?? '' }) } },
    idempotencyScopeAndMethods,
  );
  expect(r.findings).toEqual([]);
  // The two key mints sharing one Idempotency-Key arrive at once, not 1000/RPS ms apart.
  const mints = arrivals.filter((a) => a.path.endsWith('/keys') && a.key);
  const pair = mints.filter((a) => mints.filter((b) => b.key === a.key).length === 2);
  expect(pair).toHaveLength(2);
  // Half the spacing the rate would put between them, more on a loaded machine, never the whole spacing.
  expect(Math.abs(pair[0].at - pair[1].at)).toBeLessThan(Math.min(budget(1000 / RPS / 2), 0.95 * (1000 / RPS)));
  // And no second held more than the rate (one request of jitter allowed).
  const times = arrivals.map((a) => a.at).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j] < times[i] - 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  expect(busiest).toBeLessThanOrEqual(RPS + 1);
});
