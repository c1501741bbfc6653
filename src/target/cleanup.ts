import type { Operation, Spec } from '../model/spec/load';
import { type Resource, resourcesOf, scopeKindOf } from '../model/spec/resources';
import { type Credential, type CredentialRef, authHeaders, fromRef } from './credentials';
import type { HttpClient } from './http';
import { type CreatedEntry, carriesMarker, type IntentEntry, Ledger, pendingForRun } from './ledger';

/** How cleanup reaches the target: a client, the partner key every cleanup credential is built from, the version to send. */
export interface CleanupTarget {
  client: HttpClient;
  partner: Credential;
  version: string;
  /** Statuses that say an instance is gone already (404, and the target's not-found answer). */
  gone: ReadonlySet<number>;
  /** Where the spec is known: what instances of the tenant kind are read through, so an instance whose tenant is gone counts as gone. */
  spec?: Spec;
}

export interface CleanupResult {
  deleted: number;
  failed: string[];
}

function headersFor(t: CleanupTarget, ref: CredentialRef): Record<string, string> {
  return { ...authHeaders(fromRef(ref, t.partner)), 'X-Polytomic-Version': t.version };
}

/** Is the tenant (organization) an organization-scoped credential names gone? Then so is everything in it. */
async function tenantGone(t: CleanupTarget, organization: string): Promise<boolean> {
  const kind = t.spec ? scopeKindOf(t.spec) : undefined;
  const read = kind ? resourcesOf(t.spec!).byKind.get(kind)?.routes[0].read : undefined;
  if (!read) return false;
  const path = read.path.replace(/\{[^}]+\}/, encodeURIComponent(organization));
  const { response } = await t.client.send({ method: 'GET', path, headers: headersFor(t, { kind: 'partner' }), purpose: 'cleanup' });
  return t.gone.has(response.status);
}

/** Deletes one instance; true when it is gone (deleted now or before, or its tenant is). */
export async function deleteEntry(t: CleanupTarget, path: string, ref: CredentialRef): Promise<{ gone: boolean; status: number | string }> {
  try {
    const { response } = await t.client.send({ method: 'DELETE', path, headers: headersFor(t, ref), purpose: 'cleanup' });
    const gone = (response.status >= 200 && response.status < 300) || t.gone.has(response.status);
    // A scoped key of a deleted organization authenticates nothing: the instance went with its organization.
    if (!gone && ref.kind === 'org_basic' && response.status < 500 && (await tenantGone(t, ref.organization))) return { gone: true, status: response.status };
    return { gone, status: response.status };
  } catch (e) {
    return { gone: false, status: e instanceof Error ? e.message : String(e) };
  }
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
        found.push({ kind: intent.kind, id: item.id, deletePath: intent.deleteTemplate.replace('{id}', encodeURIComponent(item.id)), credential, marker: intent.marker });
      }
    }
  }
  return found;
}

/**
 * Deletes whatever the ledgers of `runId` still hold (a failed test's leftovers, an interrupted
 * worker's, a create whose answer never came), newest first. Returns what could not be deleted.
 */
export async function cleanupRun(t: CleanupTarget, runId: string): Promise<CleanupResult> {
  const pending = pendingForRun(runId);
  if (!pending.created.length && !pending.intents.length) return { deleted: 0, failed: [] };
  const ledger = new Ledger(runId, 'teardown');
  const entries = [...(await reconcileIntents(t, pending.intents)), ...pending.created];
  let deleted = 0;
  const failed: string[] = [];
  for (const i of pending.intents) ledger.intend(i);
  for (const entry of entries) {
    ledger.created(entry);
    const r = await deleteEntry(t, entry.deletePath, entry.credential);
    if (r.gone) {
      ledger.deleted(entry.deletePath);
      deleted++;
    } else failed.push(`${entry.deletePath}: ${r.status}`);
  }
  for (const i of pending.intents) ledger.settled(i.marker);
  return { deleted, failed };
}

export interface SweepResult {
  deleted: string[];
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
  const refFor = (op: Operation, home?: { id: string }): CredentialRef | undefined =>
    op.credentials.includes('partner') ? { kind: 'partner' } : op.credentials.includes('org_basic') && home ? { kind: 'org_basic', organization: home.id } : undefined;
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
    if (dryRun || !ref) return void (ref ? result.deleted.push(what) : result.failed.push(`${what}: no credential deletes it`));
    const outcome = await deleteEntry(t, fill(r.routes[0].delete, { ...(home ? { [home.kind]: home.id } : {}), [r.kind]: String(item.id) }), ref);
    if (outcome.gone) result.deleted.push(what);
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
