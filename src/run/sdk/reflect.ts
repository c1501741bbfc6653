import { matchPath, type Operation, type Spec } from '../../model/spec/load';
import { pathParams } from '../generation/plan';
import type { ScriptedServer, WireRequest } from './server';

/** One method of an SDK client, found by reflection: `permissions.roles.list`. */
export interface SdkMethod {
  name: string;
  call: (...args: unknown[]) => unknown;
  /** Declared parameters before the first default (`Function.length`). */
  arity: number;
  /** The declared parameters' names, as the build's JavaScript has them (none for a destructured one). */
  params: (string | undefined)[];
}

/** The names of a function's parameters, read from its source: `(orgId, id, requestOptions)`. */
export function parameterNames(fn: (...a: unknown[]) => unknown): (string | undefined)[] {
  const src = Function.prototype.toString.call(fn);
  const list = /^[^(=]*\(([^)]*)\)/.exec(src)?.[1] ?? /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src)?.[1];
  if (list === undefined) return [];
  return list.split(',').map((p) => /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p)?.[1]);
}

/**
 * Every method an SDK client exposes, resources and sub-resources included (`client.users.get`,
 * `client.permissions.roles.list`): getters are followed, names starting with `_` are private.
 */
export function methodsOf(client: object): SdkMethod[] {
  const out: SdkMethod[] = [];
  const seen = new Set<object>();
  const walk = (o: object, path: string[]) => {
    if (path.length > 4 || seen.has(o)) return;
    seen.add(o);
    const names = new Set<string>();
    for (let p: object | null = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) for (const n of Object.getOwnPropertyNames(p)) names.add(n);
    for (const n of [...names].sort()) {
      if (n === 'constructor' || n.startsWith('_')) continue;
      let v: unknown;
      try {
        v = (o as Record<string, unknown>)[n];
      } catch {
        continue;
      }
      if (typeof v === 'function') out.push({ name: [...path, n].join('.'), call: (v as (...a: unknown[]) => unknown).bind(o), arity: v.length, params: parameterNames(v as (...a: unknown[]) => unknown) });
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, [...path, n]);
    }
  };
  walk(client, []);
  return out;
}

/** How a method's arguments reach the request it sends: which carries each path parameter, the body, the query. */
export interface Signature {
  op: Operation;
  /** Path parameter name -> argument index. */
  pathArgs: Record<string, number>;
  bodyArg?: number;
  /** The argument whose fields become the query string. */
  queryArg?: number;
  /** Where per-request options (retries, timeout, idempotency key) go: after every data argument. */
  optionsArg: number;
}

export type Mapping = { method: SdkMethod; signature: Signature } | { method: SdkMethod; unmapped: string; request?: WireRequest };

const placeholder = (i: number) => `00000000-0000-4000-8000-${String(900000000000 + i)}`;
const STRING = (i: number) => `__arg${i}__`;

/** Calls a method without waiting long for it: a method that never settles is no reason to stop the gate. */
export async function settle(run: () => unknown, ms = 5000): Promise<{ value?: unknown; error?: unknown; timedOut?: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ timedOut: true }>((ok) => {
    timer = setTimeout(() => ok({ timedOut: true }), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(run).then((value) => ({ value }), (error) => ({ error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Finds the operation a method calls, and how its arguments reach the request, by calling it and
 * reading what it sends - whatever its name and argument order (the 1.x and 25.x SDKs differ in
 * both). First every argument a distinct string (path ids and a body show where they land);
 * where that sends nothing the spec knows (an SDK that checks its input first), arguments shaped
 * for each operation in turn; then, for an operation with query parameters, which argument
 * carries them.
 */
export async function mapMethod(m: SdkMethod, server: ScriptedServer, spec: Spec, candidates: Operation[]): Promise<Mapping> {
  const n = Math.min(Math.max(m.arity + 2, 3), 6);
  const probe = async (args: unknown[]): Promise<WireRequest | undefined> => {
    const before = server.log.length;
    await settle(() => m.call(...args), 3000);
    return server.log[before];
  };
  const opOf = (r: WireRequest) => {
    const match = matchPath(spec, r.path);
    return match ? { op: spec.operations.find((o) => o.path === match.path && o.method === r.method.toLowerCase()), params: match.params } : undefined;
  };
  const read = (r: WireRequest | undefined, args: unknown[]): Signature | undefined => {
    const found = r ? opOf(r) : undefined;
    if (!r || !found?.op) return undefined;
    const pathArgs: Record<string, number> = {};
    for (const p of pathParams(found.op)) {
      const i = args.indexOf(found.params[p.name]);
      if (i < 0) return undefined;
      pathArgs[p.name] = i;
    }
    let bodyArg: number | undefined;
    if (r.body) {
      const i = args.findIndex((a) => JSON.stringify(a) === r.body || (a && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(JSON.parse(r.body))));
      bodyArg = i >= 0 ? i : undefined;
    }
    const used = [...Object.values(pathArgs), ...(bodyArg === undefined ? [] : [bodyArg])];
    return { op: found.op, pathArgs, bodyArg, optionsArg: used.length ? Math.max(...used) + 1 : 0 };
  };

  // Every argument a string: where each lands in the path or the body says what it is.
  const strings = Array.from({ length: n }, (_, i) => STRING(i));
  let first = await probe(strings);
  let sig = read(first, strings);
  // A route the spec does not have stays one whatever the arguments: a method outside the spec.
  if (!sig && first && !matchPath(spec, first.path)) return { method: m, unmapped: `sends ${first.method} ${first.path}, which is no operation of the spec`, request: first };
  // An SDK that checks its input sends nothing for strings: arguments shaped for each operation.
  for (const op of sig ? [] : candidates.filter((o) => pathParams(o).length < n)) {
    const ids = pathParams(op).map((_, i) => placeholder(i));
    for (const order of ids.length > 1 ? [ids, [...ids].reverse()] : [ids]) {
      const body = op.requestBody?.example ?? (op.requestBody ? {} : undefined);
      const args = [...order, ...(body === undefined ? [] : [structuredClone(body)])];
      const r = await probe(args);
      first ??= r;
      sig = read(r, args);
      if (sig?.op.id === op.id) break;
      sig = undefined;
    }
    if (sig) break;
  }
  if (!sig) return { method: m, unmapped: first ? `sends ${first.method} ${first.path}, which is no operation of the spec` : 'sends no request', request: first };

  // Where the declared parameters say per-request options go (`requestOptions`), and so which free
  // argument before them carries the query: what a method then leaves out of the wire is its defect,
  // not a reason to misread its signature.
  const query = sig.op.params.find((p) => p.in === 'query');
  const optionsAt = m.params.findIndex((x) => !!x && /^(request)?options$|^ro$|^opts$/i.test(x));
  if (optionsAt >= sig.optionsArg) {
    const used = new Set([...Object.values(sig.pathArgs), ...(sig.bodyArg === undefined ? [] : [sig.bodyArg])]);
    const free = Array.from({ length: optionsAt }, (_, i) => i).filter((i) => !used.has(i));
    if (query && free.length === 1) sig.queryArg = free[0];
    sig.optionsArg = optionsAt;
    if (sig.queryArg !== undefined) return { method: m, signature: sig };
  }
  // Else the argument carrying the query parameters: an object with one of them, tried at each free position.
  if (query) {
    for (let i = sig.optionsArg; i < n; i++) {
      const args: unknown[] = Array.from({ length: i + 1 }, (_, j) => STRING(j));
      for (const at of Object.values(sig.pathArgs)) args[at] = placeholder(at);
      if (sig.bodyArg !== undefined) args[sig.bodyArg] = {};
      args[i] = { [query.name]: query.schema?.type === 'boolean' ? true : 'x' };
      const r = await probe(args);
      if (r && r.query[query.name] !== undefined) {
        sig.queryArg = i;
        sig.optionsArg = i + 1;
        break;
      }
    }
  }
  return { method: m, signature: sig };
}
