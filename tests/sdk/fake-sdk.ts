import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a fake SDK gets wrong, one thing each; none of them: a conformant SDK. */
export interface Flaws {
  /** Organization updates by PATCH, as the old docs showed. */
  patchUpdates?: boolean;
  /** Drops the fields of an answer it does not know. */
  dropsUnknownFields?: boolean;
  /** Retries a create answered 409 (as the 1.x SDKs do). */
  retriesConflicts?: boolean;
  /** Ignores `timeoutInSeconds`. */
  noTimeout?: boolean;
}

/**
 * A small SDK package shaped like the Fern-built Polytomic SDK (a PolytomicClient whose resources
 * are getters, typed errors, per-request options last), over the organization, partner-user and
 * role routes, with the method names and argument order of neither real SDK: the gate must map it
 * by what it sends. Written as plain JavaScript, as a package is.
 */
export function fakeSdk(dir: string, flaws: Flaws = {}): string {
  mkdirSync(dir, { recursive: true });
  const name = Object.keys(flaws).filter((k) => flaws[k as keyof Flaws]).join('-') || 'conformant';
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'polytomic', version: `0.0.0-fake-${name}`, main: 'index.js' }));
  writeFileSync(
    join(dir, 'index.js'),
    `
class PolytomicError extends Error { constructor(statusCode, body) { super('PolytomicError ' + statusCode); this.statusCode = statusCode; this.body = body; } }
const named = { 400: 'BadRequestError', 401: 'UnauthorizedError', 403: 'ForbiddenError', 404: 'NotFoundError', 409: 'ConflictError', 422: 'UnprocessableEntityError', 429: 'TooManyRequestsError', 500: 'InternalServerError' };
const classes = {};
for (const [status, n] of Object.entries(named)) classes[n] = { [n]: class extends PolytomicError {} }[n];
const strip = (v) => (Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'ct_undeclared').map(([k, x]) => [k, strip(x)])) : v);
class PolytomicClient {
  constructor(o) { this._o = o; }
  async _call(method, path, body, ro = {}, query) {
    const url = (this._o.baseUrl || this._o.environment).replace(/\\/$/, '') + path + (query ? '?' + new URLSearchParams(query) : '');
    const headers = { Authorization: 'Bearer ' + this._o.token, 'X-Polytomic-Version': this._o.version || '2025-09-18', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(ro.idempotencyKey ? { 'Idempotency-Key': ro.idempotencyKey } : {}) };
    for (let attempt = 0; ; attempt++) {
      const signal = ${flaws.noTimeout ? 'undefined' : "ro.timeoutInSeconds ? AbortSignal.timeout(ro.timeoutInSeconds * 1000) : undefined"};
      const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (res.ok) return ${flaws.dropsUnknownFields ? 'strip(json)' : 'json'};
      ${flaws.retriesConflicts ? "if (res.status === 409 && attempt < (ro.maxRetries ?? 2)) continue;" : ''}
      throw new (classes[named[res.status]] || PolytomicError)(res.status, json);
    }
  }
  get organization() {
    const c = this;
    return {
      all: (ro) => c._call('GET', '/api/organizations', undefined, ro),
      make: (body, ro) => c._call('POST', '/api/organizations', body, ro),
      fetchOne: (id, ro) => c._call('GET', '/api/organizations/' + id, undefined, ro),
      change: (id, body, ro) => c._call('${flaws.patchUpdates ? 'PATCH' : 'PUT'}', '/api/organizations/' + id, body, ro),
      drop: (id, ro) => c._call('DELETE', '/api/organizations/' + id, undefined, ro),
    };
  }
  get users() {
    const c = this;
    return {
      list: (org, ro) => c._call('GET', '/api/organizations/' + org + '/users', undefined, ro),
      create: (org, body, ro) => c._call('POST', '/api/organizations/' + org + '/users', body, ro),
      get: (id, org, ro) => c._call('GET', '/api/organizations/' + org + '/users/' + id, undefined, ro),
      update: (id, org, body, ro) => c._call('PUT', '/api/organizations/' + org + '/users/' + id, body, ro),
      remove: (id, org, ro) => c._call('DELETE', '/api/organizations/' + org + '/users/' + id, undefined, ro),
      mintKey: (org, id, request, ro) => c._call('POST', '/api/organizations/' + org + '/users/' + id + '/keys', undefined, ro, request && request.force !== undefined ? { force: String(request.force) } : undefined),
    };
  }
  get permissions() {
    const c = this;
    return { roles: { list: (ro) => c._call('GET', '/api/permissions/roles', undefined, ro), get: (id, ro) => c._call('GET', '/api/permissions/roles/' + id, undefined, ro) } };
  }
}
module.exports = { PolytomicClient, PolytomicError, ...classes };
`,
  );
  return dir;
}

/** The same package as an `npm pack` tarball. */
export function packed(dir: string, into: string): string {
  mkdirSync(into, { recursive: true });
  const file = execFileSync('npm', ['pack', '--pack-destination', into, dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  return join(into, file);
}
