import { DEFAULT_KEYS, type MockOptions, type MockSnapshot, type RunningMock, startMock } from '../../mock/server';

export { type Fault, FAULTS, listFaults, parseFaults } from '../../mock/faults';
export type { MockOptions, MockSnapshot, RunningMock };
export { VARIATIONS } from '../../mock/variations';

/**
 * The one module of the suite that starts the embedded mock (mock/ sits beside the layers and
 * nothing else imports it). Its keys are the mock's own: a key exported for a live target never
 * reaches it.
 */
export const EMBEDDED_KEYS = DEFAULT_KEYS;

/**
 * Starts the embedded mock and returns the settings that point a run at it: the same a user
 * would export for a live target, plus the two a disposable target allows (no rate cap, and the
 * owner-organization delete probe).
 */
export async function startEmbeddedMock(opts: Omit<MockOptions, 'port' | 'partnerKey' | 'foreignPartnerKey' | 'deploymentKey'> = {}): Promise<{ mock: RunningMock; env: Record<string, string> }> {
  const mock = await startMock({ port: 0, partnerKey: EMBEDDED_KEYS.partner, foreignPartnerKey: EMBEDDED_KEYS.foreignPartner, deploymentKey: EMBEDDED_KEYS.deployment, ...opts });
  return {
    mock,
    env: {
      POLYTOMIC_BASE_URL: mock.url,
      POLYTOMIC_PARTNER_KEY: EMBEDDED_KEYS.partner,
      POLYTOMIC_FOREIGN_PARTNER_KEY: EMBEDDED_KEYS.foreignPartner,
      // The deployment key too: the run's own is the partner key, and identity is checked for both.
      POLYTOMIC_DEPLOYMENT_KEY: EMBEDDED_KEYS.deployment,
      POLYTOMIC_OWNER_ORG_ID: mock.seeds.partners.main.ownerOrgId,
      CONFORMANCE_RPS: '0',
      CONFORMANCE_ALLOW_OWNER_DELETE_PROBE: '1',
      // Judged by the profile it behaves as, unless the caller says otherwise.
      CONFORMANCE_TARGET_PROFILE: mock.profile,
    },
  };
}
