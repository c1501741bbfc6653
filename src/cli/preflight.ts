import type { RunConfig } from '../model/config';
import { messageOf, UserError } from '../model/errors';
import { HttpClient } from '../target/http';
import { authHeaders, credential } from '../target/credentials';

/**
 * Before a live run: is the target reachable, and does it take the partner key? Fails within
 * seconds with one line naming the setting to fix.
 */
export async function preflight(cfg: RunConfig): Promise<void> {
  if (!cfg.baseUrl) return;
  const client = new HttpClient(cfg.baseUrl, { timeoutMs: 5000, maxRateLimitRetries: 1 });
  try {
    const { response } = await client.send({
      method: 'GET',
      path: '/api/organizations',
      headers: { ...authHeaders(credential('partner', cfg.partnerKey ?? '', 'POLYTOMIC_PARTNER_KEY')), 'X-Polytomic-Version': cfg.apiVersion },
    });
    if (response.status === 401 || response.status === 403) {
      throw new UserError(`POLYTOMIC_PARTNER_KEY was rejected by ${cfg.baseUrl} (HTTP ${response.status}); check that it is a partner key for this environment`);
    }
    if (response.status === 404 && !response.headers['x-polytomic-version']) {
      throw new UserError(`${cfg.baseUrl}/api/organizations is not found; POLYTOMIC_BASE_URL should be the API root, e.g. https://app.polytomic.com`);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot reach POLYTOMIC_BASE_URL=${cfg.baseUrl} (${(e as { code?: string }).code ?? messageOf(e)}); check the URL and that the server is up`);
  } finally {
    client.close();
  }
}
