import { expect, test } from '@playwright/test';
import { readConfig } from '../../src/model/config';
import { UserError } from '../../src/model/errors';

test.describe('configuration', () => {
  test('defaults: embedded target, PR profile, fixed seed', () => {
    const c = readConfig({});
    expect(c).toMatchObject({ baseUrl: undefined, profile: 'pr', seed: 424242, seedIsRandom: false, runs: 25, apiVersion: '2025-09-18', rps: 0 });
    expect(c.runId).toMatch(/^ct-[0-9a-f]{6}$/);
  });

  test('nightly picks a random seed and more runs; a given seed wins', () => {
    const a = readConfig({ CONFORMANCE_PROFILE: 'nightly' });
    expect(a.seedIsRandom).toBe(true);
    expect(a.runs).toBe(300);
    expect(readConfig({ CONFORMANCE_PROFILE: 'nightly', CONFORMANCE_SEED: '7' })).toMatchObject({ seed: 7, seedIsRandom: false });
  });

  test('a live target gets a rate cap by default', () => {
    expect(readConfig({ POLYTOMIC_BASE_URL: 'https://staging.example.com/', POLYTOMIC_PARTNER_KEY: 'k' })).toMatchObject({
      baseUrl: 'https://staging.example.com',
      rps: 20,
    });
  });

  test('what the embedded mock may do is never switched on for a live target by the environment', () => {
    const live = { POLYTOMIC_BASE_URL: 'https://staging.example.com', POLYTOMIC_PARTNER_KEY: 'k' };
    // The old internal switch dropped the key requirement and the rate cap and armed the owner-org delete probe.
    expect(() => readConfig({ ...live, CONFORMANCE_EMBEDDED: '1' })).toThrow(/unknown setting CONFORMANCE_EMBEDDED/);
    expect(readConfig(live)).toMatchObject({ rps: 20, ownerDeleteProbe: false });
    expect(() => readConfig({ POLYTOMIC_BASE_URL: live.POLYTOMIC_BASE_URL })).toThrow(/POLYTOMIC_PARTNER_KEY is not set/);
  });

  const mistakes: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['unknown setting', { CONFORMANCE_SEEED: '1' }, /unknown setting CONFORMANCE_SEEED/],
    ['bad URL', { POLYTOMIC_BASE_URL: 'staging', POLYTOMIC_PARTNER_KEY: 'k' }, /POLYTOMIC_BASE_URL=staging is not a URL/],
    ['missing key', { POLYTOMIC_BASE_URL: 'https://s.example.com' }, /POLYTOMIC_PARTNER_KEY is not set/],
    ['bad runs', { CONFORMANCE_RUNS: 'many' }, /CONFORMANCE_RUNS=many is not a whole number/],
    ['bad profile', { CONFORMANCE_PROFILE: 'weekly' }, /CONFORMANCE_PROFILE=weekly is not one of/],
    ['bad version', { POLYTOMIC_API_VERSION: 'latest' }, /POLYTOMIC_API_VERSION=latest/],
    ['retired setting', { POLYTOMIC_ORG_KEY: 'k' }, /POLYTOMIC_ORG_KEY is no longer read: .*Basic <organization id>:<partner key>.*; unset it/],
  ];
  for (const [what, env, message] of mistakes) {
    test(`a ${what} is a UserError naming the setting`, () => {
      expect(() => readConfig(env)).toThrow(UserError);
      expect(() => readConfig(env)).toThrow(message);
    });
  }
});
