import { expect, test } from '@playwright/test';
import { operationProperty } from '../../src/run/properties/operation';
import { EMBEDDED_KEYS, startEmbeddedMock } from '../../src/run/embedded';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import type { SuiteEnv } from '../../src/run/env';
import { cleanupRun } from '../../src/target/cleanup';
import { credential } from '../../src/target/credentials';
import { HttpClient } from '../../src/target/http';
import { carriesMarker, Ledger, pendingForRun, removeLedgers } from '../../src/target/ledger';
import { runName } from '../../src/target/names';

/**
 * The ledger knows a create before the server does: its intent (the unique name the instance
 * will carry) is written before the request leaves, so a process that dies between sending and
 * recording still leaves what teardown or `npm run sweep` needs to find the instance by name.
 */
test('every create is announced in the ledger, by the name it carries, before it is sent', async () => {
  const checked: string[] = [];
  const unannounced: string[] = [];
  await runAgainstMock({}, async (env) => {
    const runId = env.target.config.runId;
    const spy: SuiteEnv = {
      ...env,
      send: async (route, parts, intent) => {
        const name = (parts.body as Record<string, unknown> | undefined)?.name;
        if (route.method === 'post' && typeof name === 'string') {
          // Read from the files, as a later process would: what is only in memory dies with the run.
          const announced = pendingForRun(runId).intents.some((i) => carriesMarker(name, i.marker));
          (announced ? checked : unannounced).push(name);
        }
        return env.send(route, parts, intent);
      },
    };
    await operationProperty(spy, env.target.spec.byId.get('organization_create')!, 'positive', { seed: 424242, numRuns: 15, grep: 'organization_create' });
  });
  expect(unannounced).toEqual([]);
  expect(checked.length).toBeGreaterThanOrEqual(15);
});

test('a create whose answer never came back is found by its name and deleted by teardown', async () => {
  const { mock } = await startEmbeddedMock();
  const runId = 'ct-lost01';
  const client = new HttpClient(mock.url);
  try {
    const before = mock.snapshot();
    const name = runName(runId, '0', 'org', 1);
    new Ledger(runId, 'w0').intend({ kind: 'organization', marker: name, markerField: 'name', listPath: '/api/organizations', credential: { kind: 'partner' }, deleteTemplate: '/api/organizations/{id}' });
    // The create reaches the server; the process that sent it dies before it reads the answer.
    const sent = await fetch(`${mock.url}/api/organizations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${EMBEDDED_KEYS.partner}`, 'Content-Type': 'application/json', 'X-Polytomic-Version': '2025-09-18' },
      body: JSON.stringify({ name: `${name} Ünïcode` }),
    });
    expect(sent.ok).toBe(true);
    expect(mock.snapshot()).not.toEqual(before);

    const partner = credential('partner', EMBEDDED_KEYS.partner, 'POLYTOMIC_PARTNER_KEY');
    expect(await cleanupRun({ client, partner, version: '2025-09-18', gone: new Set([404]) }, runId)).toEqual({ deleted: 1, failed: [] });
    expect(mock.snapshot()).toEqual(before);
    expect(pendingForRun(runId)).toEqual({ created: [], intents: [] });
  } finally {
    client.close();
    removeLedgers(runId);
    await mock.close();
  }
});
