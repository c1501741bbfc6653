import type { Operation, Spec } from '../model/spec/load';
import { type Resource, resourcesOf, scopeKindOf } from '../model/spec/resources';
import { type Credential, type CredentialRef, authHeaders, fromRef } from './credentials';
import type { HttpClient } from './http';
import { type CreatedEntry, carriesMarker, type IntentEntry, Ledger, pendingForRun } from './ledger';

/** How cleanup reaches the target: a client, the partner key every cleanup credential is built from, the version to send. */
export interface CleanupTarget {
  client: HttpClient;
  /** The run's own key: every cleanup credential is it, or it scoped to an organization. */
  own: Credential;
  /** The version header (the invariants name it) and the version to send in it. */
  version: { header: string; value: string };
  /** Statuses of a read that prove an instance is gone (404, and the target's not-found answer where it is one status). */
  gone: ReadonlySet<number>;
  /** Where the spec is known: what instances of the tenant kind are read through, so an instance whose tenant is gone counts as gone. */
  spec?: Spec;
}

export interface CleanupResult {
  deleted: number;
  failed: string[];
}

function headersFor(t: CleanupTarget, ref: CredentialRef): Record<string, string> {
  return { ...authHeaders(fromRef(ref, t.own)), [t.version.header]: t.version.value };
}

/** Is the tenant (organization) an organization-scoped credential names gone? Then so is everything in it. */
async function tenantGone(t: CleanupTarget, organization: string): Promise<boolean> {
  const kind = t.spec ? scopeKindOf(t.spec) : undefined;
  const read = kind ? resourcesOf(t.spec!).byKind.get(kind)?.routes[0].read : undefined;
  if (!read) return false;
  const path = read.path.replace(/\{[^}]+\}/, encodeURIComponent(organization));
  const { response } = await t.client.send({ method: 'GET', path, headers: headersFor(t, {}), purpose: 'cleanup' });
  return t.gone.has(response.status);
}

/**
 * The credential, of the run's own key, an operation takes: the key itself, or it scoped to the
 * organization given; undefined when the operation takes neither.
 */
export function refForOp(own: Credential, op: Operation, organization?: string): CredentialRef | undefined {
  if (op.credentials.includes(own.kind)) return {};
  if (own.scopedKind && op.credentials.includes(own.scopedKind) && organization) return { organization };
  return undefined;
}

/** How cleanup reads an instance to prove it gone (told what the delete answered): default, a plain read; a run passes one its checks judge. */
export type ProofRead = (path: string, ref: CredentialRef, deleteStatus: number) => Promise<number>;

/** Gone (proven), left behind (a read or a list still finds it), or unsure (nothing says either way: its container may settle it). */
export type Removal = { state: 'gone' | 'left' | 'unsure'; status: number | string };

/**
 * Deletes one instance and proves it gone: by a read answered with a status that proves absence
 * (404, or the target's single not-found answer), by a delete answered 2xx (or with such a
 * status), or by a list of where it lives that no longer holds it. A read or a list that still
 * finds it leaves it behind, whatever the delete answered.
 */
export async function deleteEntry(t: CleanupTarget, path: string, ref: CredentialRef, proof: { readPath?: string; listPath?: string; id?: string } = {}, read?: ProofRead): Promise<Removal> {
  try {
    const { response } = await t.client.send({ method: 'DELETE', path, headers: headersFor(t, ref), purpose: 'cleanup' });
    const status = response.status;
    if (proof.readPath) {
      const seen = await (read ?? ((p, r) => plainRead(t, p, r)))(proof.readPath, ref, status);
      if (t.gone.has(seen)) return { state: 'gone', status };
      if (seen >= 200 && seen < 300) return { state: 'left', status: `${status}, then read ${seen}` };
    }
    if ((status >= 200 && status < 300) || t.gone.has(status)) return { state: 'gone', status };
    if (proof.listPath && proof.id) {
      const { response: list } = await t.client.send({ method: 'GET', path: proof.listPath, headers: headersFor(t, ref), purpose: 'cleanup' });
      const data = (list.json as { data?: unknown } | undefined)?.data;
      if (list.status >= 200 && list.status < 300) return Array.isArray(data) && data.some((x) => x?.id === proof.id) ? { state: 'left', status: `${status}, still listed` } : { state: 'gone', status };
    }
    // A scoped key of a deleted organization authenticates nothing: the instance went with its organization.
    if (ref.organization && status < 500 && (await tenantGone(t, ref.organization))) return { state: 'gone', status };
    return { state: 'unsure', status };
  } catch (e) {
    return { state: 'unsure', status: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Deletes entries newest first and proves each gone; one nothing settled is gone with the instance
 * it lives in, where that one was proven gone. Returns what is gone and what is left behind.
 */
export async function removeAll(t: CleanupTarget, entries: readonly CreatedEntry[], read?: (entry: CreatedEntry) => ProofRead): Promise<{ gone: CreatedEntry[]; left: { entry: CreatedEntry; status: number | string }[] }> {
  const states = new Map<CreatedEntry, Removal>();
  for (const entry of entries) states.set(entry, await deleteEntry(t, entry.deletePath, entry.credential, { readPath: entry.readPath, listPath: entry.listPath, id: entry.id }, read?.(entry)));
  const goneIds = new Set([...states].filter(([, r]) => r.state === 'gone').map(([e]) => e.id));
  const gone: CreatedEntry[] = [];
  const left: { entry: CreatedEntry; status: number | string }[] = [];
  for (const [entry, r] of states) {
    if (r.state === 'gone' || (r.state === 'unsure' && entry.within && goneIds.has(entry.within))) gone.push(entry);
    else left.push({ entry, status: r.status });
  }
  return { gone, left };
}

async function plainRead(t: CleanupTarget, path: string, ref: CredentialRef): Promise<number> {
  return (await t.client.send({ method: 'GET', path, headers: headersFor(t, ref), purpose: 'cleanup' })).response.status;
}

/**
 * Finds, by their markers, instances whose create was sent but whose answer never arrived, and
 * turns them into created entries. One list request per place and credential.
 */
export async function reconcileIntents(t: CleanupTarget, intents: readonly IntentEntry[]): Promise<CreatedEntry[]> {
  const found: CreatedEntry[] = [];
  const groups = new Map<string, IntentEntry[]>();
  for (const i of intents) {
    const key = `${JSON.stringify(i.credential)} ${i.listPath}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  for (const group of groups.values()) {
    const { listPath, credential } = group[0];
    let items: unknown[] = [];
    try {
      const { response } = await t.client.send({ method: 'GET', path: listPath, headers: headersFor(t, credential), purpose: 'cleanup' });
      const data = (response.json as { data?: unknown } | undefined)?.data;
      items = Array.isArray(data) ? data : [];
    } catch {
      // The place is gone (its organization deleted): so is what was created in it.
    }
    for (const intent of group) {
      for (const item of items as Record<string, unknown>[]) {
        if (typeof item?.id !== 'string' || !carriesMarker(item[intent.markerField], intent.marker)) continue;
        found.push({ kind: intent.kind, id: item.id, deletePath: intent.deleteTemplate.replace('{id}', encodeURIComponent(item.id)), listPath, credential, marker: intent.marker });
      }
    }
  }
  return found;
}

/**
 * What the ledgers of `runId` still hold, newest last: instances recorded, and those a create
 * whose answer never came made (found by their markers, with reads only).
 */
export async function leftBy(t: CleanupTarget, runId: string): Promise<CreatedEntry[]> {
  const pending = pendingForRun(runId);
  return [...(await reconcileIntents(t, pending.intents)), ...pending.created];
}

/**
 * Deletes whatever the ledgers of `runId` still hold (a failed test's leftovers, an interrupted
 * worker's, a create whose answer never came), newest first. Returns what could not be deleted.
 */
export async function cleanupRun(t: CleanupTarget, runId: string): Promise<CleanupResult> {
  const pending = pendingForRun(runId);
  if (!pending.created.length && !pending.intents.length) return { deleted: 0, failed: [] };
  const ledger = new Ledger(runId, 'teardown');
  const entries = await leftBy(t, runId);
  for (const i of pending.intents) ledger.intend(i);
  for (const entry of entries) ledger.created(entry);
  const { gone, left } = await removeAll(t, entries);
  for (const entry of gone) ledger.deleted(entry.deletePath);
  for (const i of pending.intents) ledger.settled(i.marker);
  return { deleted: gone.length, failed: left.map((l) => `${l.entry.deletePath}: ${l.status}`) };
}

export interface SweepResult {
  /** What was deleted (or, in a dry run, would be): its kind and name, and its id. */
  deleted: { what: string; id: string }[];
  failed: string[];
}

/**
 * Deletes instances whose marker field carries `matches` (names only the runs give), for every
 * resource the spec declares: top-level instances first; inside those it keeps, the instances
 * of each resource living in them. Catches what no ledger recorded. Nothing unmarked is touched.
 */
export async function sweepMarked(t: CleanupTarget, spec: Spec, matches: (name: string) => boolean, dryRun = false): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], failed: [] };
  const all = [...resourcesOf(spec).byKind.values()];
  const refFor = (op: Operation, home?: { id: string }): CredentialRef | undefined => refForOp(t.own, op, home?.id);
  const fill = (op: Operation, ids: Record<string, string>) => op.path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(ids[op.params.find((p) => p.name === name)?.resource ?? ''] ?? ''));
  const list = async (r: Resource, home?: { kind: string; id: string }): Promise<Record<string, unknown>[]> => {
    const ref = refFor(r.routes[0].list, home);
    if (!ref) return [];
    const { response } = await t.client.send({ method: 'GET', path: fill(r.routes[0].list, home ? { [home.kind]: home.id } : {}), headers: headersFor(t, ref), purpose: 'cleanup' });
    const data = (response.json as { data?: unknown } | undefined)?.data;
    return Array.isArray(data) ? data.filter((x) => typeof x?.id === 'string') : [];
  };
  const remove = async (r: Resource, item: Record<string, unknown>, home?: { kind: string; id: string }) => {
    const what = `${r.kind} ${item[r.marker]}`;
    const ref = refFor(r.routes[0].delete, home);
    if (dryRun || !ref) return void (ref ? result.deleted.push({ what, id: String(item.id) }) : result.failed.push(`${what}: no credential deletes it`));
    const ids = { ...(home ? { [home.kind]: home.id } : {}), [r.kind]: String(item.id) };
    const outcome = await deleteEntry(t, fill(r.routes[0].delete, ids), ref, { readPath: fill(r.routes[0].read, ids) });
    if (outcome.state === 'gone') result.deleted.push({ what, id: String(item.id) });
    else result.failed.push(`${what}: ${outcome.status}`);
  };
  for (const top of all.filter((r) => !r.within)) {
    for (const item of await list(top)) {
      if (typeof item[top.marker] === 'string' && matches(item[top.marker] as string)) {
        await remove(top, item);
        continue;
      }
      const home = { kind: top.kind, id: String(item.id) };
      for (const inner of all.filter((r) => r.within?.kind === top.kind)) {
        for (const x of await list(inner, home)) if (typeof x[inner.marker] === 'string' && matches(x[inner.marker] as string)) await remove(inner, x, home);
      }
    }
  }
  return result;
}
