import { HttpClient } from './http';
import { pendingForRun } from './ledger';
import { authHeaders, credential } from './credentials';
import { Ledger } from './ledger';

/**
 * Deletes whatever the ledgers of `runId` still hold (a failed test's leftovers, an interrupted
 * worker's), newest first. Returns what could not be deleted.
 */
export async function cleanupRun(baseUrl: string, partnerKey: string, runId: string, version: string, gone: ReadonlySet<number> = new Set([404])): Promise<{ deleted: number; failed: string[] }> {
  const pending = pendingForRun(runId);
  if (!pending.length) return { deleted: 0, failed: [] };
  const client = new HttpClient(baseUrl);
  const ledger = new Ledger(runId, 'teardown');
  const headers = { ...authHeaders(credential('partner', partnerKey, 'POLYTOMIC_PARTNER_KEY')), 'X-Polytomic-Version': version };
  let deleted = 0;
  const failed: string[] = [];
  try {
    for (const entry of pending) {
      ledger.created(entry);
      const { response } = await client.send({ method: 'DELETE', path: entry.deletePath, headers });
      if ((response.status >= 200 && response.status < 300) || gone.has(response.status)) {
        ledger.deleted(entry.deletePath);
        deleted++;
      } else failed.push(`${entry.deletePath}: ${response.status}`);
    }
  } finally {
    client.close();
  }
  return { deleted, failed };
}

export interface SweepResult {
  deleted: string[];
  failed: string[];
}

/**
 * Deletes organizations whose name, and users whose email, start with `prefix` — names only the
 * runs give. Catches what no ledger recorded (a create in flight when the run was killed).
 * Nothing without the prefix is touched.
 */
export async function sweepPrefix(client: HttpClient, headers: Record<string, string>, prefix: string, dryRun = false, gone: ReadonlySet<number> = new Set([404])): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], failed: [] };
  const get = async (path: string): Promise<any[]> => {
    const data = ((await client.send({ method: 'GET', path, headers })).response.json as any)?.data;
    return Array.isArray(data) ? data : [];
  };
  const remove = async (path: string, what: string) => {
    if (dryRun) return void result.deleted.push(what);
    const { response } = await client.send({ method: 'DELETE', path, headers });
    if (response.status < 300 || gone.has(response.status)) result.deleted.push(what);
    else result.failed.push(`${what}: ${response.status}`);
  };
  for (const org of await get('/api/organizations')) {
    if (typeof org?.id !== 'string') continue;
    const orgPath = `/api/organizations/${encodeURIComponent(org.id)}`;
    if (typeof org.name === 'string' && org.name.startsWith(prefix)) {
      await remove(orgPath, `organization ${org.name}`);
      continue;
    }
    for (const u of await get(`${orgPath}/users`)) {
      if (typeof u?.email === 'string' && u.email.startsWith(prefix)) await remove(`${orgPath}/users/${encodeURIComponent(u.id)}`, `user ${u.email}`);
    }
  }
  return result;
}
