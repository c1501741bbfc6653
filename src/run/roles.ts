import { buildRequest, type Target } from '../target/target';

const cache = new WeakMap<Target, Promise<string[]>>();

/**
 * Role ids the target knows, discovered read-only from the users of the partner's organizations
 * (the API has no roles endpoint). Empty when no user has a role: role_ids cases then skip.
 */
export function discoverRoleIds(target: Target): Promise<string[]> {
  let p = cache.get(target);
  if (!p) {
    p = discover(target);
    cache.set(target, p);
  }
  return p;
}

async function discover(target: Target): Promise<string[]> {
  const get = async (path: string) =>
    (await target.client.send(buildRequest(target, { method: 'get', path }, { credential: target.partner }))).response;
  // Whatever the server sends, discovery never throws: a malformed list is the checks' finding.
  const list = (json: unknown): any[] => (Array.isArray((json as any)?.data) ? (json as any).data : []);
  const orgs = await get('/api/organizations');
  const ids = new Set<string>();
  for (const org of list(orgs.json).slice(0, 10)) {
    if (typeof org?.id !== 'string') continue;
    const users = await get(`/api/organizations/${encodeURIComponent(org.id)}/users`);
    for (const u of list(users.json)) for (const r of Array.isArray(u?.role_ids) ? u.role_ids : []) if (typeof r === 'string') ids.add(r);
    if (ids.size >= 3) break;
  }
  return [...ids].sort();
}
