import type http from 'node:http';
import { matchPath, type Operation, type Spec } from '../src/model/spec/load';
import type { Validators } from '../src/model/validators';
import type { Behaviour } from './behaviour';
import { HANDLERS, type Handler } from './handlers';
import type { Store } from './store';
import { type Json, MockError, must, type Principal, type Result, type Sent } from './types';
import { dressAnswer, parseVariations, seededRandom, type VariationName } from './variations';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function headerOf(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface ApiOptions {
  /** Added to every request, after its Idempotency-Key is registered in flight. */
  latencyMs?: number;
  rateLimit?: { rps: number; burst?: number };
  /** What a real server may do that the mock does not by default (mock/variations.ts). */
  variations?: string[];
  /** Rules for operations the mock has none of its own for (resources it serves generically: mock/generic.ts). */
  handlers?: Record<string, Handler>;
}

/**
 * The request pipeline: version, route, rate limit, credentials, parameters, idempotency, body,
 * then the operation's rule, then rendering. Every decision is the behaviour's.
 */
export class MockApi {
  private readonly idempotency = new Map<string, { fingerprint: string; done?: Sent }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly variations: ReadonlySet<VariationName>;
  private readonly random = seededRandom();
  private requests = 0;

  constructor(
    private readonly spec: Spec,
    private readonly validators: Validators,
    private readonly store: Store,
    private readonly b: Behaviour,
    private readonly opts: ApiOptions,
  ) {
    this.variations = parseVariations(opts.variations ?? []);
  }

  async handle(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: string): Promise<Sent> {
    const requested = headerOf(headers, 'x-polytomic-version');
    const version = this.b.servedVersion(requested);
    let sent: Sent;
    if (this.variations.has('rate_limits') && ++this.requests % 20 === 0) {
      // Any request, at any time: Retry-After in seconds, now and then as an HTTP date.
      const retryAfter = this.requests % 60 === 0 ? new Date(Date.now() + 1000).toUTCString() : '0';
      const limited = this.renderError(new MockError(429, 'rate_limited', 'too many requests'), version ?? String(this.b.servedVersion(undefined)));
      sent = { ...limited, headers: { ...limited.headers, 'Retry-After': retryAfter } };
    } else {
      try {
        if (version === undefined) throw this.b.unsupportedVersion(requested ?? '');
        sent = await this.route(method, url, headers, raw, version);
      } catch (e) {
        sent = this.renderError(e instanceof MockError ? e : new MockError(500, 'internal', 'internal error'), version ?? String(this.b.servedVersion(undefined)));
      }
    }
    if (!this.variations.size) return sent;
    // The owner organization leads the organization list however the list is ordered.
    const ownerFirst = method === 'GET' && url.pathname === '/api/organizations';
    return dressAnswer(sent, this.variations, this.random, ownerFirst, 'X-Polytomic-Version');
  }

  /** The variations that change how answers travel (compression, connections), for the transport. */
  get wireVariations(): ReadonlySet<VariationName> {
    return this.variations;
  }

  /** A number in [0, 1) from the mock's seeded generator. */
  roll(): number {
    return this.random();
  }

  private async route(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: string, version: string): Promise<Sent> {
    const match = matchPath(this.spec, url.pathname);
    if (!match) throw new MockError(404, 'not_found', `no route ${url.pathname}`);
    const verb = this.b.route(method, this.spec.methodsByPath.get(match.path) ?? [], match.path);
    if (verb instanceof MockError) throw verb;
    const op = this.spec.operations.find((o) => o.path === match.path && o.method === verb)!;
    const authorization = headerOf(headers, 'authorization');
    this.rateLimit(authorization ?? 'anonymous');
    const principal = must(this.b.authorize(must(this.b.authenticate(authorization)), op));
    const bad = this.b.checkParams(op, match.params, url);
    if (bad) throw bad;

    const key = headerOf(headers, 'idempotency-key');
    const run = () => this.execute(op, principal, match.params, url, raw, version);
    if (key === undefined || !this.b.replays(method.toUpperCase())) return run();
    if (!this.b.idempotencyKeyValid(key)) throw this.b.malformedIdempotencyKey();
    const scope = this.b.idempotencyScope(principal, authorization ?? '', key);
    const fingerprint = `${method} ${url.pathname}${url.search}\n${raw}`;
    const prior = this.idempotency.get(scope);
    if (prior) {
      if (prior.done) return prior.fingerprint === fingerprint ? prior.done : must(this.b.reused(prior.done));
      const inFlight = this.b.inFlight();
      if (inFlight !== 'run') throw inFlight;
    }
    const entry: { fingerprint: string; done?: Sent } = { fingerprint };
    if (!prior) this.idempotency.set(scope, entry);
    // The first outcome, an error included, is what every repeat gets.
    const sent = await run().catch((e) => {
      if (!(e instanceof MockError)) throw e;
      return this.renderError(e, version);
    });
    if (!prior) entry.done = sent;
    return sent;
  }

  private async execute(op: Operation, principal: Principal, params: Record<string, string>, url: URL, raw: string, version: string): Promise<Sent> {
    let body: Json = {};
    if (raw.trim() !== '' && op.requestBody?.required === false) {
      const refused = this.b.unexpectedBody(op);
      if (refused) throw refused;
    }
    if (op.requestBody) body = this.parseBody(op, raw);
    const delay = (this.opts.latencyMs ?? 0) + this.b.delay(op) + (this.variations.has('latency_jitter') ? Math.floor(this.random() * 30) : 0);
    if (delay) await sleep(delay);
    const handler = HANDLERS[op.id] ?? this.opts.handlers?.[op.id];
    if (!handler) throw new MockError(501, 'not_implemented', `the mock has no rule for ${op.id}`);
    return this.render(this.b.respond(op, handler({ op, principal, params, url, body, b: this.b, store: this.store })), version);
  }

  private parseBody(op: Operation, raw: string): Json {
    let body: unknown;
    try {
      body = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw this.b.malformedJson();
    }
    const issues = this.validators.check(op.requestBody!.schemaPointer, body);
    const refused = issues.length ? this.b.rejectBody(op, issues) : undefined;
    if (refused) throw refused;
    return (body && typeof body === 'object' ? body : {}) as Json;
  }

  private rateLimit(credential: string): void {
    const rl = this.opts.rateLimit;
    if (!rl) return;
    const burst = rl.burst ?? rl.rps;
    const now = Date.now();
    const bucket = this.buckets.get(credential) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rl.rps);
    bucket.at = now;
    this.buckets.set(credential, bucket);
    if (bucket.tokens < 1) throw this.b.rateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / rl.rps)));
    bucket.tokens -= 1;
  }

  private render(r: Result, version: string): Sent {
    const headers = { ...this.b.headers(version), ...r.headers };
    if (r.body === undefined) return { status: r.status, headers, text: '' };
    return { status: r.status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, text: JSON.stringify(r.body) };
  }

  private renderError(e: MockError, version: string): Sent {
    const { contentType, text } = this.b.errorText(e.status, this.b.errorBody(e));
    return { status: e.status, headers: { 'Content-Type': contentType, ...this.b.headers(version, e) }, text };
  }
}
