import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a fake SDK build gets wrong, one thing each (none of them: a correct build), or does differently but harmlessly. */
export interface Flaws {
  /** Organization updates by PATCH, as the old docs showed. */
  patchUpdates?: boolean;
  /** Drops the fields of an answer it does not know. */
  dropsUnknownFields?: boolean;
  /** Retries a create answered 409 without an idempotency key (as the 1.x SDKs do). */
  retriesConflicts?: boolean;
  /** Ignores `timeoutInSeconds`. */
  noTimeout?: boolean;
  /** `users.get(id, org)` sends the user id where the organization id goes, and back. */
  swapsPathIds?: boolean;
  /** Leaves `role_ids` out of a user it creates. */
  dropsBodyField?: boolean;
  /** Sends `role_ids` joined into one string. */
  joinsRoleIds?: boolean;
  /** Sends `Bearer Bearer <token>`. */
  doublesBearer?: boolean;
  /** Sends the version of an older API, whatever the caller chose. */
  oldVersion?: boolean;
  /** Sends no version header. */
  noVersion?: boolean;
  /** Never sends the idempotency key it was given. */
  dropsIdempotencyKey?: boolean;
  /** A documented 422 surfaces as its generic error class. */
  untyped422?: boolean;
  /** Retries a 429 after 10 ms, whatever Retry-After says. */
  ignoresRetryAfter?: boolean;
  /** Sends a create again after a 503, with no idempotency key. */
  retriesCreatesOn503?: boolean;
  /** `users.mintKey` leaves `force` out. */
  dropsForce?: boolean;
  // Harmless differences.
  /** Other names for every method. */
  renamedMethods?: boolean;
  /** `users.get(org, id)`: the other order, its parameters named for what they are. */
  reorderedParams?: boolean;
  /** One header more on every request. */
  extraHeader?: boolean;
  /** Sends any request again after a 503 when it carries an idempotency key (the same). */
  safeRetries?: boolean;
}

/**
 * A small SDK package shaped like the Fern-built Polytomic SDK (a PolytomicClient whose resources
 * are getters, typed errors, per-request options last), over the organization, partner-user and
 * role routes, with the method names and argument order of neither real SDK: the gate must map it
 * by what it sends. A correct build retries a 429 after Retry-After, and a 5xx only where that is
 * safe (an idempotent method). Written as plain JavaScript, as a package is.
 */
export function fakeSdk(dir: string, flaws: Flaws = {}): string {
  mkdirSync(dir, { recursive: true });
  const f = flaws;
  const name = Object.keys(flaws).filter((k) => flaws[k as keyof Flaws]).join('-') || 'conformant';
  const n = (plain: string, renamed: string) => (f.renamedMethods ? renamed : plain);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'polytomic', version: `0.0.0-fake-${name}`, main: 'index.js' }));
  writeFileSync(
    join(dir, 'index.js'),
    `
class PolytomicError extends Error { constructor(statusCode, body) { super('PolytomicError ' + statusCode); this.statusCode = statusCode; this.body = body; } }
const named = { 400: 'BadRequestError', 401: 'UnauthorizedError', 403: 'ForbiddenError', 404: 'NotFoundError', 409: 'ConflictError', 422: 'UnprocessableEntityError', 429: 'TooManyRequestsError', 500: 'InternalServerError' };
${f.untyped422 ? 'delete named[422];' : ''}
const classes = {};
for (const [status, n] of Object.entries(named)) classes[n] = { [n]: class extends PolytomicError {} }[n];
const strip = (v) => (Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'ct_undeclared').map(([k, x]) => [k, strip(x)])) : v);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class PolytomicClient {
  constructor(o) { this._o = o; }
  async _call(method, path, body, ro = {}, query) {
    const url = (this._o.baseUrl || this._o.environment).replace(/\\/$/, '') + path + (query ? '?' + new URLSearchParams(query) : '');
    ${f.dropsBodyField ? "if (body && typeof body === 'object' && 'role_ids' in body && path.endsWith('/users')) { body = { ...body }; delete body.role_ids; }" : ''}
    ${f.joinsRoleIds ? "if (body && Array.isArray(body.role_ids)) body = { ...body, role_ids: body.role_ids.join(',') };" : ''}
    const headers = {
      Authorization: ${f.doublesBearer ? "'Bearer Bearer '" : "'Bearer '"} + this._o.token,
      ${f.noVersion ? '' : `'X-Polytomic-Version': ${f.oldVersion ? "'2024-02-08'" : "this._o.version || '2025-09-18'"},`}
      ${f.extraHeader ? "'X-Client': 'fake-sdk',": ''}
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(ro.idempotencyKey ${f.dropsIdempotencyKey ? '&& false' : ''} ? { 'Idempotency-Key': ro.idempotencyKey } : {}),
    };
    const retries = ro.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const signal = ${f.noTimeout ? 'undefined' : 'ro.timeoutInSeconds ? AbortSignal.timeout(ro.timeoutInSeconds * 1000) : undefined'};
      const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (res.ok) return ${f.dropsUnknownFields ? 'strip(json)' : 'json'};
      if (attempt < retries) {
        if (res.status === 429) { await sleep(${f.ignoresRetryAfter ? '10' : "Number(res.headers.get('retry-after') || '1') * 1000"}); continue; }
        const idempotent = ['GET', 'PUT', 'DELETE'].includes(method) ${f.safeRetries ? "|| !!headers['Idempotency-Key']" : ''};
        if (res.status >= 500 && (idempotent ${f.retriesCreatesOn503 ? '|| true' : ''})) continue;
        ${f.retriesConflicts ? 'if (res.status === 409) continue;' : ''}
      }
      throw new (classes[named[res.status]] || PolytomicError)(res.status, json);
    }
  }
  get organization() {
    const c = this;
    return {
      ${n('all', 'listEverything')}: (ro) => c._call('GET', '/api/organizations', undefined, ro),
      ${n('make', 'build')}: (body, ro) => c._call('POST', '/api/organizations', body, ro),
      ${n('fetchOne', 'byId')}: (id, ro) => c._call('GET', '/api/organizations/' + id, undefined, ro),
      ${n('change', 'replace')}: (id, body, ro) => c._call('${f.patchUpdates ? 'PATCH' : 'PUT'}', '/api/organizations/' + id, body, ro),
      ${n('drop', 'destroy')}: (id, ro) => c._call('DELETE', '/api/organizations/' + id, undefined, ro),
    };
  }
  get users() {
    const c = this;
    return {
      ${n('list', 'everyone')}: (org, ro) => c._call('GET', '/api/organizations/' + org + '/users', undefined, ro),
      ${n('create', 'add')}: (org, body, ro) => c._call('POST', '/api/organizations/' + org + '/users', body, ro),
      ${
        f.reorderedParams
          ? `${n('get', 'one')}: (orgId, userId, ro) => c._call('GET', '/api/organizations/' + orgId + '/users/' + userId, undefined, ro),`
          : f.swapsPathIds
            ? `${n('get', 'one')}: (id, org, ro) => c._call('GET', '/api/organizations/' + id + '/users/' + org, undefined, ro),`
            : `${n('get', 'one')}: (id, org, ro) => c._call('GET', '/api/organizations/' + org + '/users/' + id, undefined, ro),`
      }
      ${n('update', 'replace')}: (id, org, body, ro) => c._call('PUT', '/api/organizations/' + org + '/users/' + id, body, ro),
      ${n('remove', 'erase')}: (id, org, ro) => c._call('DELETE', '/api/organizations/' + org + '/users/' + id, undefined, ro),
      ${n('mintKey', 'newKey')}: (org, id, request, ro) => c._call('POST', '/api/organizations/' + org + '/users/' + id + '/keys', undefined, ro, request && request.force !== undefined ${f.dropsForce ? '&& false' : ''} ? { force: String(request.force) } : undefined),
    };
  }
  get permissions() {
    const c = this;
    return { roles: { ${n('list', 'all')}: (ro) => c._call('GET', '/api/permissions/roles', undefined, ro), ${n('get', 'one')}: (id, ro) => c._call('GET', '/api/permissions/roles/' + id, undefined, ro) } };
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
