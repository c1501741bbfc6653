import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/target/http';

/**
 * A create is never sent twice: a server that acts on a request and then drops the connection
 * (as one closing an idle keep-alive connection just as a request arrives may) must see a create
 * without an idempotency key once. A request safe to repeat (a read, a create with a key) that
 * fails on a reused connection is sent again on a new one.
 */
async function server(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const s = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.headers['idempotency-key'] ?? ''}`);
    req.resume();
    // Every POST is acted on, then its connection dropped before any answer; the rest answer.
    if (req.method === 'POST' && seen.filter((x) => x.startsWith('POST')).length === 1) {
      req.on('end', () => req.socket.destroy());
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"data":{}}');
  });
  s.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise((ok) => s.close(() => ok())) };
}

test('a create without an idempotency key reaches the server once, even when its connection drops', async () => {
  const srv = await server();
  const client = new HttpClient(srv.url, { replaySafeHeaders: ['Idempotency-Key'] });
  try {
    // A read first, so that the pool holds a connection a POST could have reused.
    await client.send({ method: 'GET', path: '/api/organizations', headers: {} });
    await expect(client.send({ method: 'POST', path: '/api/organizations', headers: { 'content-type': 'application/json' }, body: { name: 'x' } })).rejects.toThrow();
    expect(srv.seen.filter((x) => x.startsWith('POST'))).toEqual(['POST ']);
  } finally {
    client.close();
    await srv.close();
  }
});

test('a create with an idempotency key, dropped on a reused connection, is sent again with the same key', async () => {
  const srv = await server();
  const client = new HttpClient(srv.url, { replaySafeHeaders: ['Idempotency-Key'] });
  try {
    await client.send({ method: 'GET', path: '/api/organizations', headers: {} });
    const { response } = await client.send({ method: 'POST', path: '/api/organizations', headers: { 'Idempotency-Key': 'k-1', 'content-type': 'application/json' }, body: { name: 'x' } });
    expect(response.status).toBe(200);
    expect(srv.seen.filter((x) => x.startsWith('POST'))).toEqual(['POST k-1', 'POST k-1']);
  } finally {
    client.close();
    await srv.close();
  }
});
