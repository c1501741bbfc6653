import type { SuiteEnv } from '../env';
import type { Recorded } from '../../checks/types';
import { answered, call, holds, ok, status } from './steps';
import { citeInvariant } from '../../model/contracts';
import { resourcesOf } from '../../model/spec/resources';

/**
 * Version negotiation (the profile's default_version, invariants.yaml versions): a request without the
 * version header is served by the default version and says so; every supported version is
 * accepted and named. Probed on the list of the spec's first top-level resource (the organization
 * list, whose shape no version has changed, so the current spec judges every answer).
 */
export async function versionNegotiation(env: SuiteEnv): Promise<void> {
  const { invariants } = env.target.contracts;
  const { header, supported } = invariants.versions;
  const served = (rec: Recorded) => rec.exchange.response.headers[header.toLowerCase()]?.split(',')[0].trim();
  const credential = env.target.own;
  const list = [...resourcesOf(env.target.spec).byKind.values()].find((r) => !r.within)!.routes[0].list.id;

  const none = await call(env, list, { credential, version: null }, { kind: 'positive' });
  if (ok(none)) answered(env, none, 'version_negotiation', 'default_version', served(none) ?? 'none', `without ${header} the answer came from version ${served(none)}`);

  const cite = citeInvariant(invariants, 'versions');
  for (const version of supported) {
    const rec = await call(env, list, { credential, version }, { kind: 'positive' });
    holds(env, rec, 'version_negotiation', ok(rec) && served(rec) === version, `supported version ${version} got ${status(rec)} from version ${served(rec)}`, { expected: version, actual: { status: status(rec), version: served(rec) }, ...cite });
  }
}
