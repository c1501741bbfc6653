import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadContracts } from '../src/model/contracts';
import { UserError } from '../src/model/errors';
import { projectPath } from '../src/model/paths';
import { DEFAULT_SPEC, loadSpec } from '../src/model/spec/load';
import { validatorsFor } from '../src/model/validators';
import { type ApiOptions, MockApi } from './api';
import { genericHandlers, type ResourceRules } from './generic';
import { conforming } from './behaviour';
import { parseFaults, withFaults } from './faults';
import { encode, encodingFor, parseVariations } from './variations';
import { type BuiltIns, type MockSeeds, type MockSnapshot, seed, Store } from './store';
import type { Sent } from './types';

export type { MockSeeds, MockSnapshot } from './store';

export interface MockOptions extends ApiOptions {
  port?: number;
  host?: string;
  partnerKey?: string;
  foreignPartnerKey?: string;
  /** The deployment key, acting as the main partner (on-premises). */
  deploymentKey?: string;
  /** What resources the mock serves generically (no rules of its own) refuse, or get wrong on purpose. */
  resourceRules?: Record<string, ResourceRules>;
  faults?: string[];
  /** What a real server may do that the mock does not by default (mock/variations.ts). */
  variations?: string[];
  /** The target profile the mock behaves as (contracts/targets/<name>.yaml; default embedded). */
  profile?: string;
  /** The OpenAPI document it serves (default: CONFORMANCE_SPEC, else the bundled one). */
  specPath?: string;
  /** Delay of the latency faults. */
  faultDelayMs?: number;
  /** Told of every request as it arrives (what a rate is measured at). */
  onRequest?: (req: http.IncomingMessage) => void;
}

export interface RunningMock {
  url: string;
  port: number;
  seeds: MockSeeds;
  /** The target profile it behaves as. */
  profile: string;
  snapshot(): MockSnapshot;
  close(): Promise<void>;
}

export const DEFAULT_KEYS = { partner: 'poly_partner_main_key', foreignPartner: 'poly_partner_foreign_key', deployment: 'poly_deployment_main_key' };

/**
 * The built-ins of every organization: the roles the profile's builtin_roles answer names, and
 * the two built-in policies the product docs name (Connections, Models; a guess at their
 * bindings: every role reads, the first edits).
 */
function builtIns(answer: string): BuiltIns {
  const roles = answer.split(',').map((r) => r.trim());
  const bindings = { read: roles, edit: roles.slice(0, 1) };
  return { roles, policies: { Connections: bindings, Models: bindings } };
}

/** Starts the mock; resolves once it listens. Transport only: the API is MockApi, its decisions the behaviour's. */
export async function startMock(opts: MockOptions = {}): Promise<RunningMock> {
  const faults = parseFaults(opts.faults ?? []);
  const spec = loadSpec(opts.specPath ?? (process.env.CONFORMANCE_SPEC || projectPath(DEFAULT_SPEC)));
  const contracts = loadContracts(undefined, opts.profile ?? 'embedded');
  const store = new Store(builtIns(String(contracts.profile.first('builtin_roles'))));
  const variations = parseVariations(opts.variations ?? []);
  const seeds = seed(store, {
    partner: opts.partnerKey ?? DEFAULT_KEYS.partner,
    foreignPartner: opts.foreignPartnerKey ?? DEFAULT_KEYS.foreignPartner,
    deployment: opts.deploymentKey ?? DEFAULT_KEYS.deployment,
    ...(variations.has('crowded_partner') ? { crowd: { organizations: 40, users: 5 } } : {}),
  });
  const ctx = { profile: contracts.profile, invariants: contracts.invariants, store, mainPartnerId: seeds.partners.main.id, faultDelayMs: opts.faultDelayMs ?? 3000 };
  const behaviour = withFaults(conforming(ctx), faults, ctx);
  const handlers = genericHandlers(spec, store, behaviour, opts.resourceRules, Number(contracts.profile.first('not_found_status')));
  const api = new MockApi(spec, validatorsFor(spec).warm(), store, behaviour, { ...opts, variations: [...variations], handlers });

  const server = http.createServer((req, res) => {
    opts.onRequest?.(req);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://mock');
      const reply = (s: Sent) => {
        const wire = api.wireVariations;
        let body: Buffer = Buffer.from(s.text);
        const headers: Record<string, string | number> = { ...s.headers };
        const encoding = wire.has('compression') && body.length ? encodingFor(req.headers['accept-encoding'], () => api.roll()) : undefined;
        if (encoding) {
          body = encode(s.text, encoding);
          Object.assign(headers, { 'Content-Encoding': encoding, Vary: 'Accept-Encoding' });
        }
        if (!wire.has('connections')) {
          res.writeHead(s.status, { ...headers, 'Content-Length': body.length });
          return void res.end(body);
        }
        // Closed politely on every other answer, dropped without a word after the others; bodies chunked.
        const polite = api.roll() < 0.5;
        res.writeHead(s.status, { ...headers, ...(polite ? { Connection: 'close' } : {}) });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        res.end(body.subarray(Math.floor(body.length / 2)));
        if (!polite) res.on('finish', () => setTimeout(() => req.socket.destroy(), 5).unref());
      };
      if (url.pathname === '/__mock/snapshot') return reply({ status: 200, headers: { 'Content-Type': 'application/json' }, text: JSON.stringify(store.snapshot()) });
      api.handle(req.method ?? 'GET', url, req.headers, Buffer.concat(chunks).toString('utf8')).then(reply, () =>
        reply({ status: 500, headers: { 'Content-Type': 'application/json' }, text: JSON.stringify({ key: 'internal', message: 'internal error', status: 500 }) }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE' ? new UserError(`port ${opts.port} is in use; set PORT to a free port (or 0 for any)`) : e));
    server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    seeds,
    profile: contracts.profile.name,
    snapshot: () => store.snapshot(),
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
