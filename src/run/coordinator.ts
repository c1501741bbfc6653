import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RunConfig } from '../model/config';
import { BudgetSpent, Pacer, type RequestGate } from '../target/gate';

/**
 * One rate and one request budget for the whole run: the main process holds them, every worker
 * asks it before each request. `CONFORMANCE_RPS` is the run's rate against the target (split
 * between shards, which cannot talk to each other); `CONFORMANCE_BUDGET` its requests, spent
 * where they buy the most: tests of every operation, workflows and method probes first, as they
 * come; random exploration (properties, the model run) gets what is left, shared among the tests
 * that have yet to start, so every one of them runs at least once.
 */

/** The kind of a test, by its file (`1-examples.spec.ts` -> `examples`). */
export const testKind = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.spec\.ts$/, '').replace(/^\d+-/, '');
/**
 * Random exploration, which gets what the essential tests leave of a budget, shared by weight: a
 * model run is a sequence of requests where a property run is one, and state bugs (a write landing
 * on the wrong record) show only in sequences, so the model test gets as much as ten property tests.
 */
const EXPLORATION: Record<string, number> = { model: 10, properties: 1 };
export const isExploration = (kind: string) => kind in EXPLORATION;

export interface Allowance {
  /** False: the budget cannot pay for this test; it is skipped, saying so. */
  run: boolean;
  /** Requests the test may spend (exploration), where a budget is set. */
  requests?: number;
}

/** Fewer requests than this buy no exploration worth a test. */
const MIN_EXPLORATION = 3;

/** The run's budget arithmetic (no I/O): which tests run, and how much exploration each may do. */
export class Budget {
  readonly pacer: Pacer;
  private readonly planned = new Map<string, number>();
  private readonly started = new Map<string, number>();
  private readonly cost = new Map<string, { requests: number; tests: number }>();

  constructor(rps: number, budget?: number) {
    this.pacer = new Pacer(rps, budget);
  }

  plan(counts: Record<string, number>): void {
    for (const [k, n] of Object.entries(counts)) this.planned.set(k, n);
  }

  private toCome(kind: string): number {
    return Math.max(0, (this.planned.get(kind) ?? 0) - (this.started.get(kind) ?? 0));
  }

  start(kind: string): Allowance {
    this.started.set(kind, (this.started.get(kind) ?? 0) + 1);
    const remaining = this.pacer.remaining;
    if (remaining === undefined) return { run: true };
    if (!isExploration(kind)) return { run: remaining > 0 };
    // Keep what the essential tests still to come will need, at what their kind has cost so far;
    // share the rest among this and the exploration tests still to come.
    let reserve = 0;
    for (const k of this.planned.keys()) {
      const c = this.cost.get(k);
      if (!isExploration(k)) reserve += this.toCome(k) * (c?.tests ? c.requests / c.tests : 20);
    }
    let waiting = EXPLORATION[kind];
    for (const [k, weight] of Object.entries(EXPLORATION)) waiting += this.toCome(k) * weight;
    const requests = Math.max(0, Math.floor(((remaining - reserve) * EXPLORATION[kind]) / waiting));
    return { run: requests >= MIN_EXPLORATION, requests };
  }

  end(kind: string, requests: number): void {
    const c = this.cost.get(kind) ?? { requests: 0, tests: 0 };
    c.requests += requests;
    c.tests++;
    this.cost.set(kind, c);
  }
}

/** Most requests a test of this kind sends: what its runs take at most, or its share of a budget if smaller. */
export function requestsOf(kind: string, cfg: Pick<RunConfig, 'runs' | 'model'>, share = Infinity): number {
  // A property run sends its request and may make (and delete) what it needs; a model run starts
  // from two users of its own.
  const own = kind === 'properties' ? cfg.runs * 3 + 30 : kind === 'model' ? cfg.model.runs * (cfg.model.commands + 8) + 30 : 300;
  return Math.min(own, share);
}

/**
 * A test's timeout, sized by the requests it may send at its worker's pace (the run's rate shared
 * by every worker), each allowed `latency` seconds of answer, half as much again; never under a minute.
 */
export function testTimeoutMs(requests: number, secondsPerRequest: number, latency = 0.25): number {
  return Math.max(60_000, Math.ceil(1.5 * requests * (secondsPerRequest + latency) * 1000));
}

const FILE_DIR = join(process.cwd(), 'reports', '.coordinator');
const fileFor = (runId: string) => join(FILE_DIR, `${runId}.json`);

// On the global object: the global setup and the reporters load this module on their own.
const RUNNING = Symbol.for('polytomic-conformance.coordinator');
const holder = globalThis as { [RUNNING]?: Budget };

/** The coordinator of this run, in the main process (for the reporter that plans the tests). */
export const currentCoordinator = () => holder[RUNNING];

/** Starts the run's coordinator: an HTTP server on the loopback, found by workers through a file named for the run. */
export async function startCoordinator(runId: string, rps: number, budget: number | undefined, workers: number): Promise<() => Promise<void>> {
  const b = new Budget(rps, budget);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://coordinator');
    const reply = (body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const kind = url.searchParams.get('kind') ?? '';
    if (url.pathname === '/take') {
      const wait = b.pacer.slot(url.searchParams.get('purpose') === 'cleanup' ? 'cleanup' : 'test', performance.now(), Number(url.searchParams.get('n') ?? 1));
      return reply(wait === undefined ? { spent: true } : { wait });
    }
    if (url.pathname === '/start') return reply(b.start(kind));
    if (url.pathname === '/end') {
      b.end(kind, Number(url.searchParams.get('requests') ?? 0));
      return reply({});
    }
    if (url.pathname === '/spent') return reply({ spent: b.pacer.spent, cleanup: b.pacer.cleanup, budget: b.pacer.budget });
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  mkdirSync(FILE_DIR, { recursive: true });
  // A worker's pace when every worker is busy: what its tests' timeouts are sized by.
  const secondsPerRequest = rps > 0 ? workers / rps : 0;
  writeFileSync(fileFor(runId), JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secondsPerRequest }));
  const close = () =>
    new Promise<void>((ok) => {
      rmSync(fileFor(runId), { force: true });
      server.close(() => ok());
      server.closeAllConnections();
    });
  holder[RUNNING] = b;
  return close;
}

/**
 * The gate of a process whose tests share a budget: it asks the budget before each request, holds
 * the current test's own share of it, and what a refused request does.
 */
export abstract class BudgetGate implements RequestGate {
  private share?: number;
  private sent = 0;
  private refused?: (reason: string) => void;
  /** Set once a request of the current test was refused. */
  spent = false;
  /** Seconds between one worker's requests when every worker is busy. */
  secondsPerRequest = 0;

  /** Milliseconds to wait before the request, or undefined when the run's budget refuses it. */
  protected abstract slot(purpose: 'test' | 'cleanup', n: number): Promise<number | undefined>;
  protected abstract allow(kind: string): Promise<Allowance>;
  protected abstract report(kind: string, requests: number): Promise<void>;

  private refuse(reason: string): never {
    this.spent = true;
    this.refused?.(reason);
    throw new BudgetSpent(reason);
  }

  async take(purpose: 'test' | 'cleanup', n = 1): Promise<void> {
    if (purpose === 'test' && this.share !== undefined && this.sent + n > this.share) this.refuse(`this test's share of the request budget (${this.share} requests) is spent`);
    const wait = await this.slot(purpose, n);
    if (wait === undefined) this.refuse("the run's request budget (CONFORMANCE_BUDGET) is spent");
    if (purpose === 'test') this.sent += n;
    if (wait) await new Promise((ok) => setTimeout(ok, wait));
  }

  /**
   * A test begins: asks what the budget allows it, and sets what a refused request does (`refused`
   * may throw, to skip the test; a BudgetSpent follows otherwise).
   */
  async start(kind: string, refused?: (reason: string) => void): Promise<Allowance> {
    const allowance = await this.allow(kind);
    this.share = allowance.requests;
    this.sent = 0;
    this.spent = false;
    this.refused = refused;
    return allowance;
  }

  async end(kind: string): Promise<void> {
    const requests = this.sent;
    this.share = undefined;
    this.refused = undefined;
    await this.report(kind, requests);
  }

  close(): void {}
}

/** The budget and its tests in one process (the self-check). */
export class InProcessGate extends BudgetGate {
  constructor(readonly budget: Budget) {
    super();
  }

  protected async slot(purpose: 'test' | 'cleanup', n: number) {
    return this.budget.pacer.slot(purpose, performance.now(), n);
  }

  protected async allow(kind: string) {
    return this.budget.start(kind);
  }

  protected async report(kind: string, requests: number) {
    this.budget.end(kind, requests);
  }
}

/** A worker's gate to the run's coordinator, where one runs (a live target, or a budget). */
export class RemoteGate extends BudgetGate {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly url: string,
    secondsPerRequest: number,
  ) {
    super();
    this.secondsPerRequest = secondsPerRequest;
  }

  static forRun(runId: string): RemoteGate | undefined {
    const f = fileFor(runId);
    if (!existsSync(f)) return undefined;
    const { url, secondsPerRequest } = JSON.parse(readFileSync(f, 'utf8'));
    return new RemoteGate(url, secondsPerRequest);
  }

  private ask<T>(path: string): Promise<T> {
    return new Promise((ok, fail) => {
      http
        .get(`${this.url}${path}`, { agent: this.agent }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => ok(JSON.parse(text) as T));
        })
        .on('error', fail);
    });
  }

  protected async slot(purpose: 'test' | 'cleanup', n: number) {
    const r = await this.ask<{ wait?: number; spent?: boolean }>(`/take?purpose=${purpose}&n=${n}`);
    return r.spent ? undefined : (r.wait ?? 0);
  }

  protected allow(kind: string) {
    return this.ask<Allowance>(`/start?kind=${encodeURIComponent(kind)}`);
  }

  protected async report(kind: string, requests: number) {
    await this.ask(`/end?kind=${encodeURIComponent(kind)}&requests=${requests}`);
  }

  override close(): void {
    this.agent.destroy();
  }
}
