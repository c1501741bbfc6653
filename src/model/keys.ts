/**
 * The keys a run is given, by the name a spec's `x-credential.key` uses, and the setting that
 * holds each. Every other credential is made from one of them (scoped to an organization) or
 * minted with one. A hosted target has partner keys; an on-premises one, its deployment key.
 */
export const CONFIGURED_KEYS = {
  partner: 'POLYTOMIC_PARTNER_KEY',
  deployment: 'POLYTOMIC_DEPLOYMENT_KEY',
} as const;

export type KeyName = keyof typeof CONFIGURED_KEYS;

export const isKeyName = (s: unknown): s is KeyName => typeof s === 'string' && s in CONFIGURED_KEYS;
