import { expectRule } from '../../checks/stateful';
import type { SuiteEnv } from '../env';
import type { Recorded } from '../../checks/types';
import { call, ok, status } from './steps';

/**
 * Version negotiation (choices.default_version, supported_versions): a request without the
 * version header is served by the default version and says so; every supported version is
 * accepted and named. Probed on the organization list, whose shape no version has changed, so
 * the current spec judges every answer.
 */
export async function versionNegotiation(env: SuiteEnv): Promise<void> {
  const { choices, invariants } = env.target.contracts;
  const served = (rec: Recorded) => rec.exchange.response.headers[invariants.version_header.toLowerCase()];
  const credential = env.target.partner;

  const none = await call(env, 'organization_list', { credential, version: null }, { kind: 'positive' });
  expectRule(none, 'version_negotiation', ok(none) && served(none) === choices.default_version, `without ${invariants.version_header} the answer was ${status(none)} from version ${served(none)}`, { expected: choices.default_version, actual: served(none) });

  for (const version of choices.supported_versions) {
    const rec = await call(env, 'organization_list', { credential, version }, { kind: 'positive' });
    expectRule(rec, 'version_negotiation', ok(rec) && served(rec) === version, `supported version ${version} got ${status(rec)} from version ${served(rec)}`, { expected: version, actual: { status: status(rec), version: served(rec) } });
  }
}
