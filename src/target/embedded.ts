import { type MockOptions, type RunningMock, startMock } from '../../mock/server';
import { EMBEDDED_KEYS } from './target';

/**
 * Starts the embedded mock with the suite's known keys and returns the settings that point a run
 * at it (the same a user would export for a live target).
 */
export async function startEmbeddedMock(opts: Omit<MockOptions, 'port' | 'partnerKey' | 'foreignPartnerKey' | 'orgKey'> = {}): Promise<{ mock: RunningMock; env: Record<string, string> }> {
  const mock = await startMock({ port: 0, partnerKey: EMBEDDED_KEYS.partner, foreignPartnerKey: EMBEDDED_KEYS.foreignPartner, orgKey: EMBEDDED_KEYS.org, ...opts });
  return {
    mock,
    env: {
      POLYTOMIC_BASE_URL: mock.url,
      CONFORMANCE_EMBEDDED: '1',
      POLYTOMIC_PARTNER_KEY: EMBEDDED_KEYS.partner,
      POLYTOMIC_FOREIGN_PARTNER_KEY: EMBEDDED_KEYS.foreignPartner,
      POLYTOMIC_ORG_KEY: EMBEDDED_KEYS.org,
      POLYTOMIC_OWNER_ORG_ID: mock.seeds.partners.main.ownerOrgId,
    },
  };
}
