import { messageOf } from '../model/errors';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Acting } from './credentials';
import { LocalGate, Pacer, type RequestGate } from './gate';

export interface HttpRequest {
  /** Upper-case method. */
  method: string;
  /** Concrete path (`/api/organizations/<uuid>`), without query. */
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  /** JSON body, serialised when defined. */
  body?: unknown;
  /** Sent verbatim instead of `body` (malformed JSON and the like). */
  rawBody?: string;
  /** `cleanup`: deleting what the run made, never refused by a request budget. */
  purpose?: 'test' | 'cleanup';
  /** Who the request acts as (never sent: the Authorization header is what the server sees). */
  as?: Acting;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
  /** Parsed body when it is JSON; `undefined` for an empty or non-JSON body. */
  json: unknown;
  jsonError?: string;
  elapsedMs: number;
}

export interface ClientOptions {
  /** Client-side cap on requests per second (0 = none), where no gate is given. */
  rps?: number;
  /** What every request waits for (the run's rate and budget); default: this process's own rate cap. */
  gate?: RequestGate;
  /** How many times a 429 is retried after its Retry-After. */
  maxRateLimitRetries?: number;
  /** Longest Retry-After honoured, in seconds. */
  maxRetryAfterSeconds?: number;
  timeoutMs?: number;
  /** Headers that make a request safe to send twice (the spec's idempotency keys): see `once`. */
  replaySafeHeaders?: readonly string[];
}

/** Methods whose effect, sent twice, is that of once (RFC 9110 section 9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface SendResult {
  response: HttpResponse;
  /** 429 answers that were waited out and retried before `response`. */
  rateLimited: HttpResponse[];
}

export function urlFor(base: URL, req: Pick<HttpRequest, 'path' | 'query'>): URL {
  const url = new URL(base.pathname.replace(/\/$/, '') + req.path, base);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  return url;
}

export function serialiseBody(req: HttpRequest): string | undefined {
  if (req.rawBody !== undefined) return req.rawBody;
  return req.body === undefined ? undefined : JSON.stringify(req.body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A keep-alive HTTP client for high-volume loops: `http.request` on a pooled agent is the
 * fastest client on Node 20 (measured at about 3,900 req/s against 2,400 for `fetch` and 1,100
 * for Playwright's request context, which also records every call as a test step).
 * Honours a client-side rate limit and 429 Retry-After, so it is safe against staging.
 */
export class HttpClient {
  readonly base: URL;
  private readonly agent: http.Agent;
  /** Connections used once: for requests that must never be sent twice. */
  private readonly fresh: http.Agent;
  private readonly transport: typeof http | typeof https;
  readonly gate: RequestGate;
  requestsSent = 0;
  /** Requests whose turn under the rate was taken already (see `together`). */
  private prepaid = 0;

  constructor(baseUrl: string, private readonly opts: ClientOptions = {}) {
    this.base = new URL(baseUrl);
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 16 });
    this.fresh = new this.transport.Agent({ keepAlive: false });
    this.gate = opts.gate ?? new LocalGate(new Pacer(opts.rps ?? 0));
  }

  async send(req: HttpRequest): Promise<SendResult> {
    const rateLimited: HttpResponse[] = [];
    const retries = this.opts.maxRateLimitRetries ?? 3;
    for (let first = true; ; first = false) {
      if (first && this.prepaid > 0) this.prepaid--;
      else await this.gate.take(req.purpose ?? 'test');
      const response = await this.once(req);
      if (response.status !== 429 || rateLimited.length >= retries) return { response, rateLimited };
      rateLimited.push(response);
      await sleep(this.retryAfterMs(response));
    }
  }

  /**
   * Sends the `n` requests `sends` makes at the same moment (a race a rule is about: duplicates in
   * flight together), not spaced by the rate: their turns are taken first, as one burst the rate
   * and the budget count in full.
   */
  async together<T>(n: number, sends: () => Promise<T>): Promise<T> {
    await this.gate.take('test', n);
    this.prepaid = n;
    try {
      return await sends();
    } finally {
      this.prepaid = 0;
    }
  }

  /** Retry-After in seconds (0 = now) or as an HTTP date (RFC 9110 section 10.2.3); a second when it says neither. */
  private retryAfterMs(res: HttpResponse): number {
    const cap = (this.opts.maxRetryAfterSeconds ?? 30) * 1000;
    const raw = (res.headers['retry-after'] ?? '').split(',')[0].trim();
    const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : raw ? Date.parse(raw) - Date.now() : Number.NaN;
    return Math.min(cap, Number.isFinite(ms) ? Math.max(0, ms) : 1000);
  }

  /**
   * One exchange. A request that fails on a pooled connection the server had closed while it sat
   * idle (reset, or hung up before any answer) most likely never reached it, and is sent again
   * once on a new one, if sending it twice is safe: an idempotent method, or a request carrying an
   * idempotency key. Any other (a create without a key) goes on a connection of its own, never
   * reused, and is never sent again: if the first had run, a second would make a second instance
   * no ledger knows of.
   */
  private async once(req: HttpRequest): Promise<HttpResponse> {
    if (!this.resendable(req)) return this.attempt(req, this.fresh);
    try {
      return await this.attempt(req, this.agent);
    } catch (e) {
      if (!(e instanceof StaleConnection)) throw e;
      return this.attempt(req, this.agent);
    }
  }

  private resendable(req: HttpRequest): boolean {
    if (IDEMPOTENT.has(req.method.toUpperCase())) return true;
    const safe = new Set((this.opts.replaySafeHeaders ?? []).map((h) => h.toLowerCase()));
    return Object.entries(req.headers).some(([k, v]) => safe.has(k.toLowerCase()) && v !== '');
  }

  private attempt(req: HttpRequest, agent: http.Agent): Promise<HttpResponse> {
    const url = urlFor(this.base, req);
    const body = serialiseBody(req);
    const headers: Record<string, string | number> = { 'accept-encoding': ACCEPT_ENCODING, ...req.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    this.requestsSent++;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const r = this.transport.request(
        url,
        { method: req.method, headers, agent, timeout: this.opts.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let text: string;
            try {
              text = decode(Buffer.concat(chunks), res.headers['content-encoding']);
            } catch (e) {
              text = `(a body in ${res.headers['content-encoding']} that does not decode: ${messageOf(e)})`;
            }
            const out: HttpResponse = {
              status: res.statusCode ?? 0,
              headers: flattenHeaders(res.headers),
              text,
              json: undefined,
              elapsedMs: performance.now() - started,
            };
            if (text.length > 0) {
              try {
                out.json = JSON.parse(text);
              } catch (e) {
                out.jsonError = messageOf(e);
              }
            }
            resolve(out);
          });
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer from ${url.origin} within ${this.opts.timeoutMs ?? 30_000} ms`)));
      r.on('error', (e: NodeJS.ErrnoException) => reject(r.reusedSocket && STALE.has(e.code ?? '') ? new StaleConnection(e.message) : e));
      if (body !== undefined) r.write(body);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.fresh.destroy();
  }
}

/** What the client accepts: every body encoding Node decodes. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const STALE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

class StaleConnection extends Error {}

/** A body as its Content-Encoding says (several, applied in order, are undone in reverse). */
function decode(raw: Buffer, encoding: string | undefined): string {
  let body = raw;
  for (const e of (encoding ?? '').split(',').map((x) => x.trim().toLowerCase()).filter((x) => x && x !== 'identity').reverse()) {
    if (e === 'gzip' || e === 'x-gzip') body = gunzipSync(body);
    else if (e === 'deflate') body = inflateSync(body);
    else if (e === 'br') body = brotliDecompressSync(body);
    else throw new Error(`unknown content-encoding ${e}`);
  }
  return body.toString('utf8');
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
