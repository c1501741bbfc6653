import { expect, test } from '@playwright/test';
import { startMock } from '../../mock/server';
import { HttpClient } from '../../src/target/http';

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
