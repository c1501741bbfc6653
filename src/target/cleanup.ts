import { HttpClient } from '../http/client';
import { pendingForRun } from './ledger';
import { authHeaders, credential } from './credentials';
import { Ledger } from './ledger';

/**
 * Deletes whatever the ledgers of `runId` still hold (a failed test's leftovers, an interrupted
 * worker's), newest first. Returns what could not be deleted.
 */
export async function cleanupRun(baseUrl: string, partnerKey: string, runId: string, version: string): Promise<{ deleted: number; failed: string[] }> {
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
      if ((response.status >= 200 && response.status < 300) || response.status === 404) {
        ledger.deleted(entry.deletePath);
        deleted++;
      } else failed.push(`${entry.deletePath}: ${response.status}`);
    }
  } finally {
    client.close();
  }
  return { deleted, failed };
}
