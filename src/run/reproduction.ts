import type { RunRecord } from '../checks/record';
import type { Exchange, Intent } from '../checks/types';
import { type CredentialScheme, type Spec, schemeKinds } from '../model/spec/load';
import { resourcesOf } from '../model/spec/resources';
import { secrets } from '../target/redact';
import { runNameIn } from '../target/names';

/**
 * A reproduction: the requests that make what a failing request needs (its instances, the key it
 * is sent with, the writes to them that came before), then the request itself. It names only the
 * configured keys (by their environment variables) and what its own requests made: instance ids
 * and minted keys are captured from its answers, names and idempotency keys are fresh each time.
 * Run after the run (whose cleanup deleted everything), it makes the same state again.
 */
export interface Reproduction {
  /** The target it was seen on (a script runs against POLYTOMIC_BASE_URL when set). */
  base: string;
  /** Names made fresh each time it runs, and the run name each stands for. */
  fresh: { name: string; kind: 'name' | 'idempotency' }[];
  steps: ReproStep[];
  /** The configured keys it sends, by environment variable. */
  keys: string[];
  /** Deletes what it made, newest first (one inside another made here goes with it): what a script runs at its end. */
  cleanup: ReproStep[];
}

export interface ReproStep {
  operation?: string;
  method: string;
  /** With `${VAR}` where an id the reproduction captured, or a fresh name, goes. */
  path: string;
  query?: Record<string, string>;
  /** Without Authorization: `auth` says what it is sent with. */
  headers: Record<string, string>;
  body?: string;
  /** The body is sent as it is, not as JSON (malformed on purpose). */
  raw?: true;
  /** A configured key (its environment variable) or a key the reproduction minted; Basic with a user name. */
  auth?: { kind: string; scheme: 'Bearer' | 'Basic'; key: string; user?: string };
  /** The variable its answer's value at `pointer` is kept in; an instance's, with its kind and the variable of where it lives. */
  capture?: { name: string; pointer: string; instance?: { kind: string; within?: string }; minted?: string };
  /** A cleanup step: the variable of the instance it deletes. */
  removes?: string;
  intent: Intent;
}

/** Every string a request carries where an id may be: path segments, query values, body strings, the Basic user name. */
function tokensOf(ex: Exchange): string[] {
  const out = ex.request.path.split('/').map(decodeURIComponent);
  out.push(...Object.values(ex.request.query ?? {}));
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(ex.request.body);
  if (ex.request.as?.scope) out.push(ex.request.as.scope);
  return out;
}

/**
 * The reproduction of `failing`, from what the run record kept: the creates of every instance it
 * names that the run made (and of what those name, and so on), the answered writes to them sent
 * before it, and the minting of a key it is sent with.
 */
export function reproductionOf(record: RunRecord, spec: Spec, failing: Exchange, base: string): Reproduction {
  const chosen = new Set<Exchange>();
  const made = new Map<Exchange, { kind: string; id: string; home?: string }>();
  const minted = new Map<Exchange, CredentialScheme>();
  const before = failing.sentAt ?? Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  const schemes = [...schemeKinds(spec.doc).values()];
  const need = (ex: Exchange): void => {
    for (const token of tokensOf(ex)) {
      const k = record.known(token);
      if (!k?.made || seen.has(k.id)) continue;
      seen.add(k.id);
      made.set(k.made.by, { kind: k.kind, id: k.id, home: k.home });
      for (const e of [k.made.by, ...k.writes.filter((w) => w !== failing && (w.doneAt ?? 0) <= before)]) {
        if (chosen.has(e)) continue;
        chosen.add(e);
        need(e);
      }
    }
    const key = ex.request.as?.fingerprint ? record.keys.get(ex.request.as.fingerprint) : undefined;
    if (key && !chosen.has(key.by)) {
      chosen.add(key.by);
      const scheme = schemes.find((s) => s.mintedBy === key.by.operation?.id && s.valuePointer);
      if (scheme) minted.set(key.by, scheme);
      need(key.by);
    }
  };
  need(failing);
  const order = [...chosen].sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0));

  // What stands for what: ids the reproduction captures, run names and idempotency keys it makes fresh.
  const vars = new Map<string, string>();
  const counts = new Map<string, number>();
  const varFor = (prefix: string) => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    return `${prefix}_${n}`;
  };
  const fresh: Reproduction['fresh'] = [];
  for (const ex of [...order, failing]) {
    for (const token of tokensOf(ex)) {
      const name = runNameIn(token);
      if (name && !vars.has(name)) {
        const v = varFor('NAME');
        vars.set(name, v);
        fresh.push({ name: v, kind: 'name' });
      }
    }
    for (const p of ex.operation?.params ?? []) {
      const value = p.in === 'header' && p.uniquePerRequest ? headerOf(ex, p.name) : undefined;
      if (value && !vars.has(value)) {
        const v = varFor('IDEMPOTENCY_KEY');
        vars.set(value, v);
        fresh.push({ name: v, kind: 'idempotency' });
      }
    }
  }
  const captureOf = new Map<Exchange, ReproStep['capture']>();
  for (const ex of order) {
    const m = made.get(ex);
    if (m) {
      const v = varFor(m.kind.toUpperCase().replace(/[^A-Z0-9]/g, '_'));
      vars.set(m.id, v);
      captureOf.set(ex, { name: v, pointer: '/data/id', instance: { kind: m.kind, ...(m.home ? { within: m.home } : {}) } });
    } else if (minted.has(ex)) {
      captureOf.set(ex, { name: varFor('KEY'), pointer: minted.get(ex)!.valuePointer!, minted: minted.get(ex)!.kind });
    }
  }
  // The minted keys, by the fingerprint a request sent with one carries.
  const keyByFingerprint = new Map<string, string>();
  for (const [fp, key] of record.keys) {
    const v = captureOf.get(key.by)?.name;
    if (v && minted.has(key.by)) keyByFingerprint.set(fp, v);
  }
  const swap = (s: string) => {
    let out = s;
    for (const [from, to] of vars) if (out.includes(from)) out = out.split(from).join(`\${${to}}`);
    return out;
  };
  const keys = new Set<string>();
  const stepOf = (ex: Exchange): ReproStep => {
    const { request } = ex;
    const as = request.as;
    let auth: ReproStep['auth'];
    if (as && as.kind !== 'none') {
      const mintedVar = as.fingerprint ? keyByFingerprint.get(as.fingerprint) : undefined;
      const key = mintedVar ?? as.root;
      if (!mintedVar) keys.add(as.root);
      // A Basic credential acting in an instance names it as its user name; one without sends the key as its user name.
      auth = /^basic /i.test(headerOf(ex, 'authorization') ?? '') ? { kind: as.kind, scheme: 'Basic', key, ...(as.scope ? { user: swap(as.scope) } : {}) } : { kind: as.kind, scheme: 'Bearer', key };
    }
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => !/^authorization$/i.test(k)).map(([k, v]) => [k, swap(secrets.redactText(v))]));
    const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const capture = captureOf.get(ex);
    const within = capture?.instance?.within;
    return {
      ...(ex.operation ? { operation: ex.operation.id } : {}),
      method: request.method,
      path: swap(request.path),
      ...(request.query && Object.keys(request.query).length ? { query: Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, swap(v)])) } : {}),
      headers,
      ...(body !== undefined ? { body: swap(secrets.redactText(body)) } : {}),
      ...(request.rawBody !== undefined ? { raw: true as const } : {}),
      ...(auth ? { auth } : {}),
      ...(capture ? { capture: within ? { ...capture, instance: { ...capture.instance!, within: vars.get(within) ?? within } } : capture } : {}),
      intent: ex.intent,
    };
  };
  const steps = [...order, failing].map(stepOf);
  return { base, fresh, steps, keys: [...keys].sort(), cleanup: cleanupSteps(spec, steps, [...keys].sort(), record.contracts.invariants.versions.header.toLowerCase()) };
}

/**
 * The deletes of what `steps` make, newest first, each with a configured key the reproduction
 * sends (never a minted one, which may be revoked by then), in the form its delete takes: on its
 * own, or acting in the instance it lives in.
 */
function cleanupSteps(spec: Spec, steps: ReproStep[], keys: string[], versionHeader: string): ReproStep[] {
  const made = steps.filter((s) => s.capture?.instance);
  const captured = new Set(made.map((s) => s.capture!.name));
  const ref = (v: string) => (captured.has(v) ? `\${${v}}` : v);
  const configured = steps.flatMap((s) => (s.auth && keys.includes(s.auth.key) ? [s.auth] : []));
  return made
    .filter((s) => !captured.has(s.capture!.instance!.within ?? ''))
    .reverse()
    .flatMap(({ capture, auth, headers }) => {
      const { name, instance } = capture!;
      const del = resourcesOf(spec).byKind.get(instance!.kind)?.routes[0].delete;
      const within = instance!.within;
      const alone = configured.find((a) => !a.user && del?.credentials.includes(a.kind));
      const scoped = within ? configured.find((a) => a.user && del?.credentials.includes(a.kind)) : undefined;
      const chosen = auth && keys.includes(auth.key) && del?.credentials.includes(auth.kind) && !auth.user ? auth : (alone ?? scoped);
      if (!del || !chosen) return [];
      const path = del.params.filter((p) => p.in === 'path').reduce((p, x) => p.replace(`{${x.name}}`, x.resource === instance!.kind ? `\${${name}}` : within ? ref(within) : ''), del.path);
      const version = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() === versionHeader));
      const { user: _user, ...form } = chosen;
      return [{ operation: del.id, removes: name, method: 'DELETE', path, headers: version, auth: chosen.user && within ? { ...form, user: ref(within) } : form, intent: { kind: 'probe' as const } }];
    });
}

const headerOf = (ex: Exchange, name: string) => Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
