import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request an SDK sent, as the gate's server received it. */
export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds since the server started: retries are timed by it. */
  at: number;
  status?: number;
  responseBody?: string;
}

/** What the server answers one request with. */
export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow server, for timeouts). */
  delayMs?: number;
}

/**
 * The gate's server: the SDK under test talks to it (the 1.x SDK's bundled node-fetch reaches only
 * a real server), it records every request and answers with what the gate scripted for it. It is
 * the target the gate judges the SDK against: generated answers, every documented error, 429s and
 * slow answers, so the SDK's handling of each is seen, not only its happy path.
 */
export class ScriptedServer {
  readonly log: WireRequest[] = [];
  private readonly server: http.Server;
  private readonly started = Date.now();
  /** Answers for the next requests, in order; then `fallback` answers. */
  private queue: Answer[] = [];
  fallback: (r: WireRequest) => Answer = () => ({ status: 404, body: '{"message":"not scripted"}' });
  url = '';

  /** Headers every answer carries (the API's version header, with the version it serves). */
  constructor(private readonly always: Record<string, string> = {}) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://gate');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
        const entry: WireRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() - this.started };
        this.log.push(entry);
        const a = this.queue.shift() ?? this.fallback(entry);
        const send = () => {
          if (res.destroyed) return;
          entry.status = a.status;
          entry.responseBody = a.body ?? '';
          const body = a.body ?? '';
          res.writeHead(a.status, { ...this.always, ...(body ? { 'Content-Type': 'application/json' } : {}), ...a.headers, 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (a.delayMs) setTimeout(send, a.delayMs).unref();
        else send();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Answers for the next requests, in order (the fallback answers the rest). */
  script(...answers: Answer[]): void {
    this.queue = [...answers];
  }

  close(): Promise<void> {
    return new Promise<void>((ok) => {
      this.server.close(() => ok());
      this.server.closeAllConnections();
    });
  }
}
