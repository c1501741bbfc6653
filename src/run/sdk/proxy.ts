import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

/** Replaces the target's answer for the next matching request (to feed an SDK edge cases). */
export interface Override {
  method: string;
  path: RegExp;
  status: number;
  body: string;
}

/**
 * A recording reverse proxy: the SDK talks to it (its bundled node-fetch only reaches a real
 * server), it forwards to the target and keeps every request and response for judging.
 */
export async function startProxy(target: string): Promise<{ url: string; log: Recorded[]; overrides: Override[]; close: () => Promise<void> }> {
  const log: Recorded[] = [];
  const overrides: Override[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://proxy');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
      const entry: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, status: 0, responseHeaders: {}, responseBody: '' };
      log.push(entry);
      const finish = (status: number, rh: Record<string, string>, text: string) => {
        Object.assign(entry, { status, responseHeaders: rh, responseBody: text });
        res.writeHead(status, { ...rh, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      const o = overrides.findIndex((x) => x.method === entry.method && x.path.test(entry.path));
      if (o >= 0) {
        const [ov] = overrides.splice(o, 1);
        return finish(ov.status, { 'content-type': 'application/json', 'x-polytomic-version': '2025-09-18' }, ov.body);
      }
      const fwd = http.request(new URL(url.pathname + url.search, target), { method: req.method, headers: { ...headers, host: new URL(target).host }, agent }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          const rh = Object.fromEntries(Object.entries(up.headers).filter(([k]) => !['content-length', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)).map(([k, v]) => [k, String(v)]));
          finish(up.statusCode ?? 502, rh, Buffer.concat(out).toString('utf8'));
        });
      });
      fwd.on('error', () => finish(502, { 'content-type': 'application/json' }, '{"message":"proxy could not reach the target"}'));
      fwd.end(body || undefined);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    overrides,
    close: () => new Promise<void>((ok) => {
      agent.destroy();
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}
