import { EXAMPLE_SUITES, probeMethods } from '../suites/examples';
import type { SuiteEnv } from '../env';
import { operationProperty } from '../properties/operation';
import { idempotentReplay } from '../workflows/idempotency';
import { crossOrgUserAccess, crossPartnerAccess, currentOrgScope, massAssignment, orgListIsolation, ownerOrganization } from '../workflows/isolation';
import { apiKeyRotation } from '../workflows/keys';
import { organizationLifecycle, userLifecycle } from '../workflows/lifecycle';
import { checkProperty } from '../properties/runner';
import { modelCommands, runModel } from '../workflows/model';
import { versionNegotiation } from '../workflows/versions';
import { discoverRoleIds } from '../roles';

/**
 * The whole conformance suite as one in-process scenario (what tests/conformance/ runs, minus
 * Playwright), for the self-check: example suites on every operation, method probes, workflows,
 * isolation, the model and the three property modes.
 */
export async function wholeSuite(env: SuiteEnv, runs = 20): Promise<string[]> {
  const { spec } = env.target;
  const steps: [string, () => Promise<unknown>][] = [];
  for (const op of spec.operations) {
    for (const [name, suite] of Object.entries(EXAMPLE_SUITES)) {
      if (name === 'invalidBodies' && !op.requestBody) continue;
      steps.push([`${op.id} ${name}`, () => suite(op, env)]);
    }
    for (const mode of ['positive', 'negative', 'boundary'] as const) {
      steps.push([`${op.id} ${mode}`, () => operationProperty(env, op, mode, { seed: 424242, numRuns: runs, grep: op.id })]);
    }
  }
  for (const path of spec.methodsByPath.keys()) steps.push([`methods ${path}`, () => probeMethods(path, env)]);
  steps.push(
    ['organization lifecycle', () => organizationLifecycle(env)],
    ['partner user lifecycle', () => userLifecycle(env, 'partner')],
    ['current-org user lifecycle', () => userLifecycle(env, 'current')],
    ['key rotation', () => apiKeyRotation(env)],
    ['idempotency', () => idempotentReplay(env)],
    ['version negotiation', () => versionNegotiation(env)],
    ['cross-org user access', () => crossOrgUserAccess(env)],
    ['current-org scope', () => currentOrgScope(env)],
    ['mass assignment', () => massAssignment(env)],
    ['model', async () => checkProperty(env, modelCommands(10), (cmds, e) => runModel(e, discovered, cmds), { seed: 7, numRuns: 20, grep: 'model' })],
  );
  if (env.target.foreignPartner) steps.push(['cross-partner access', () => crossPartnerAccess(env)], ['org list isolation', () => orgListIsolation(env)]);
  const owner = env.target.config.ownerOrgId;
  if (owner) steps.push(['owner organization', () => ownerOrganization(env, owner, env.target.config.ownerDeleteProbe)]);
  const discovered = await discoverRoleIds(env.target);
  // A step the server's answers break is not a finding of any check: it is listed apart.
  const errors: string[] = [];
  for (const [name, step] of steps) await step().catch((e) => errors.push(`${name}: ${e?.message ?? e}`));
  return errors;
}
