import type { RunConfig } from '../model/config';
import { loadContracts } from '../model/contracts';
import { messageOf, UserError } from '../model/errors';
import { loadSpec, type Operation, type Spec } from '../model/spec/load';
import { effectiveFor } from '../run/describe';
import { resourcesOf } from '../model/spec/resources';
import { validatorsFor } from '../model/validators';
import { authHeaders, type Credential } from '../target/credentials';
import { ownCredential } from '../target/target';
import { HttpClient, type HttpResponse } from '../target/http';

/**
 * What a command checks before any work, and before anything is sent or written: the spec (every
 * `$ref` resolved, every schema compiled), the contracts it names, the profile and the
 * configuration. A mistake is one line and exit 2.
 */
export function checkedInputs(cfg: RunConfig): Spec {
  const spec = loadSpec(cfg.specPath);
  effectiveFor(cfg);
  const { versions } = loadContracts(cfg.contractsDir, cfg.profileName).invariants;
  if (!versions.supported.includes(cfg.apiVersion)) throw new UserError(`POLYTOMIC_API_VERSION=${cfg.apiVersion} is not a version of the API (contracts/invariants.yaml versions: ${versions.supported.join(', ')})`);
  try {
    validatorsFor(spec).warm();
  } catch (e) {
    throw new UserError(`spec file ${cfg.specPath} is broken: a schema does not compile (${messageOf(e).split('\n')[0]}); fix it`);
  }
  return spec;
}

/**
 * The read that proves a target is this API: a list of a top-level resource the run's own key
 * may read (the spec's first), a GET with no path parameter and a documented 200 body.
 */
export function probeOperation(spec: Spec, own: Credential): Operation {
  const lists = [...resourcesOf(spec).byKind.values()].filter((r) => !r.within).map((r) => r.routes[0].list);
  const fits = (op: Operation) => op.method === 'get' && !op.path.includes('{') && op.credentials.includes(own.kind) && !!op.responses.get('200')?.schemaPointer;
  const op = lists.find(fits) ?? spec.operations.find(fits);
  if (!op) throw new UserError(`spec ${spec.file} has no GET without path parameters that ${own.label} may read: nothing proves a target is this API`);
  return op;
}

const contentType = (r: HttpResponse) => (r.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
const isJson = (r: HttpResponse) => /^application\/([\w.-]+\+)?json$/.test(contentType(r));

/**
 * Before a live run (and before calibrate or sweep touch it): is the target reachable, does it
 * take the partner key, and is it this API - an authenticated read answered with the spec's
 * envelope and version header, from the version the run asks for? Only GETs are sent. Anything
 * else is one line naming what was found (a web page, another API, a path prefix, a refused
 * version) and exit 2, within seconds.
 */
export async function preflight(cfg: RunConfig, spec: Spec): Promise<void> {
  if (!cfg.baseUrl) return;
  const { invariants } = loadContracts(cfg.contractsDir, cfg.profileName);
  const header = invariants.versions.header;
  const own = ownCredential(cfg, spec);
  const op = probeOperation(spec, own);
  const client = new HttpClient(cfg.baseUrl, { timeoutMs: 5000, maxRateLimitRetries: 1 });
  const where = `${cfg.baseUrl} (GET ${op.path})`;
  const get = async (version?: string) =>
    (await client.send({ method: 'GET', path: op.path, headers: { ...authHeaders(own), Accept: 'application/json', ...(version ? { [header]: version } : {}) } })).response;
  let r: HttpResponse;
  try {
    r = await get(cfg.apiVersion);
  } catch (e) {
    client.close();
    throw new UserError(`cannot reach POLYTOMIC_BASE_URL=${cfg.baseUrl} (${(e as { code?: string }).code ?? messageOf(e)}); check the URL and that the server is up`);
  }
  try {
    const prefix = new URL(cfg.baseUrl).pathname.replace(/\/$/, '');
    if (r.status === 401 || r.status === 403) throw new UserError(`${own.label} was rejected by ${where}: HTTP ${r.status}; check that it is a ${cfg.ownKey} key for this environment`);
    if (contentType(r) === 'text/html' || /^\s*<(!doctype|html)/i.test(r.text)) {
      throw new UserError(`${where} answered ${r.status} with an HTML page: it is a web site, not the API; set POLYTOMIC_BASE_URL to the API's root`);
    }
    if (r.status === 404 && prefix && op.path.startsWith(`${prefix.slice(prefix.lastIndexOf('/'))}/`)) {
      throw new UserError(`POLYTOMIC_BASE_URL ends in ${prefix}, which the API's paths already start with (${op.path}): set it to the root, ${new URL(cfg.baseUrl).origin}`);
    }
    if (r.status === 404 && !r.headers[header.toLowerCase()]) {
      throw new UserError(`${where} is not found${prefix ? ` (POLYTOMIC_BASE_URL has the path ${prefix})` : ''}; POLYTOMIC_BASE_URL should be the API's root, e.g. https://app.polytomic.com`);
    }
    if (r.status >= 400 && r.status < 500) {
      // Refused with the version asked for, served without it: the version is what it refuses.
      const plain = await get();
      if (plain.status >= 200 && plain.status < 300) {
        throw new UserError(`${where} refuses ${header}: ${cfg.apiVersion} (HTTP ${r.status}) and serves the request without it (as ${plain.headers[header.toLowerCase()] ?? 'an unnamed version'}): set POLYTOMIC_API_VERSION to a version it serves`);
      }
    }
    if (r.status >= 500) throw new UserError(`${where} answered ${r.status} to a plain read: the target is failing; try again when it is up`);
    if (r.status < 200 || r.status >= 300) throw new UserError(`${where} answered ${r.status} to a plain read with the partner key; expected 200`);
    if (!isJson(r)) throw new UserError(`${where} answered with ${contentType(r) || 'no content type'}, not JSON: it is not the API; check POLYTOMIC_BASE_URL`);
    const issues = validatorsFor(spec).check(op.responses.get('200')!.schemaPointer!, r.json);
    if (r.json === undefined || issues.length) {
      throw new UserError(`${where} answered JSON that is not the spec's ${op.responses.get('200')!.schemaName ?? 'body'} (${issues[0] ? `${issues[0].pointer || '/'} ${issues[0].message}` : 'no body'}): it looks like another API; check POLYTOMIC_BASE_URL`);
    }
    const served = r.headers[header.toLowerCase()]?.split(',')[0].trim();
    if (!served) throw new UserError(`${where} answered without ${header}, which every answer of this API carries: another API, or a proxy that drops it; check POLYTOMIC_BASE_URL`);
    if (served !== cfg.apiVersion) throw new UserError(`${where} asked for ${header}: ${cfg.apiVersion} answered as ${served}: the target does not serve that version; set POLYTOMIC_API_VERSION to one it serves`);
  } finally {
    client.close();
  }
}
