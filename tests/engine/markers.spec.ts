import { expect, test } from '@playwright/test';
import { operationProperty } from '../../src/run/properties/operation';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import { parseRunName } from '../../src/target/names';
import type { SuiteEnv } from '../../src/run/env';

/**
 * The fields the run recognises its own resources by (an organization's name, a user's email)
 * carry the run's marker and the generated value together: the server sees the long, the
 * non-ASCII and the boundary values the generators make, and the run still knows its own.
 */
async function sentValues(opId: string, field: string, mode: 'positive' | 'boundary'): Promise<string[]> {
  const sent: string[] = [];
  await runAgainstMock({}, async (env) => {
    const spy: SuiteEnv = {
      ...env,
      send: async (route, parts, intent) => {
        const v = (parts.body as Record<string, unknown> | undefined)?.[field];
        if (typeof v === 'string') sent.push(v);
        return env.send(route, parts, intent);
      },
    };
    await operationProperty(spy, env.target.spec.byId.get(opId)!, mode, { seed: 424242, numRuns: 60, grep: opId });
  });
  return sent;
}

test('organization names reach the server at their boundaries and beyond ASCII, each carrying the run marker', async () => {
  const names = [...(await sentValues('organization_create', 'name', 'boundary')), ...(await sentValues('organization_create', 'name', 'positive'))];
  expect(names.length).toBeGreaterThan(60);
  expect(Math.max(...names.map((n) => [...n].length))).toBeGreaterThanOrEqual(200);
  expect(names.some((n) => [...n].some((c) => c.charCodeAt(0) > 0x7f))).toBe(true);
  for (const n of names) expect(parseRunName(n), n).toBeDefined();
});

test('user emails keep the generated local part and domain behind the marker', async () => {
  const emails = await sentValues('users_create', 'email', 'positive');
  expect(emails.length).toBeGreaterThan(30);
  // More than the marker and a fixed domain: the generated part reaches the server.
  expect(new Set(emails.map((e) => e.split('@')[1])).size).toBeGreaterThan(5);
  expect(emails.some((e) => e.split('@')[0].includes('+'))).toBe(true);
  for (const e of emails) expect(parseRunName(e), e).toBeDefined();
});
