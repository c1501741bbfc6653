import { expect, test } from '@playwright/test';
import { operationProperty } from '../../src/run/properties/operation';
import { EMBEDDED_KEYS, startEmbeddedMock } from '../../src/run/embedded';
import { runAgainstMock } from '../../src/run/selfcheck/harness';
import type { SuiteEnv } from '../../src/run/env';
import { cleanupRun } from '../../src/target/cleanup';
import { authHeaders, credential } from '../../src/target/credentials';
import { HttpClient } from '../../src/target/http';
import { carriesMarker, Ledger, pendingForRun, removeLedgers } from '../../src/target/ledger';
import { runName } from '../../src/target/names';
import { spawn } from 'node:child_process';
import { hermeticEnv, startMockProcess, stopProcess } from '../support/processes';

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
    new Ledger(runId, 'w0').intend({ kind: 'organization', marker: name, markerField: 'name', listPath: '/api/organizations', credential: {}, deleteTemplate: '/api/organizations/{id}' });
    // The create reaches the server; the process that sent it dies before it reads the answer.
    const sent = await fetch(`${mock.url}/api/organizations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${EMBEDDED_KEYS.partner}`, 'Content-Type': 'application/json', 'X-Polytomic-Version': '2025-09-18' },
      body: JSON.stringify({ name: `${name} Ünïcode` }),
    });
    expect(sent.ok).toBe(true);
    expect(mock.snapshot()).not.toEqual(before);

    const partner = credential('partner', EMBEDDED_KEYS.partner, 'POLYTOMIC_PARTNER_KEY');
    expect(await cleanupRun({ client, own: partner, version: { header: 'X-Polytomic-Version', value: '2025-09-18' }, gone: new Set([404]) }, runId)).toEqual({ deleted: 1, failed: [] });
    expect(mock.snapshot()).toEqual(before);
    expect(pendingForRun(runId)).toEqual({ created: [], intents: [] });
  } finally {
    client.close();
    removeLedgers(runId);
    await mock.close();
  }
});

/**
 * A test interrupted while its create is on its way: its cleanup runs while the body still runs.
 * The create not yet found stays announced for global teardown, and the body creates nothing more.
 */
test('cleanup of an interrupted test keeps a create still on its way, and the test creates nothing after it', async () => {
  let runId = '';
  const result = await runAgainstMock({}, async (env) => {
    runId = env.target.config.runId;
    const name = env.sb.uniqueName('org');
    env.sb.intend({ kind: 'organization', marker: name, markerField: 'name', listPath: '/api/organizations', credential: {}, deleteTemplate: '/api/organizations/{id}' });
    await env.sb.dispose();
    expect(pendingForRun(runId).intents.map((i) => i.marker)).toEqual([name]);
    await expect(env.world.fresh('organization')).rejects.toThrow(/cleanup has begun/);
    // The create reaches the server only now, and the worker is gone before its answer.
    const sent = await env.target.client.send({ method: 'POST', path: '/api/organizations', headers: { ...authHeaders(env.target.own), 'X-Polytomic-Version': '2025-09-18' }, body: { name } });
    expect(sent.response.status).toBe(200);
    const t = { client: env.target.client, own: env.target.own, version: { header: 'X-Polytomic-Version', value: '2025-09-18' }, gone: new Set([404]), spec: env.target.spec };
    expect(await cleanupRun(t, runId)).toEqual({ deleted: 1, failed: [] });
    return [];
  });
  expect(result.setupError).toBeUndefined();
  expect(result.snapshots.after).toEqual(result.snapshots.before);
});

test('sweep --dry-run lists each instance a ledger holds, with its run, and deletes nothing', async () => {
  const { child, url } = await startMockProcess();
  const runId = 'ct-dry001';
  try {
    const headers = { Authorization: `Bearer ${EMBEDDED_KEYS.partner}`, 'Content-Type': 'application/json', 'X-Polytomic-Version': '2025-09-18' };
    const made = async (name: string) => (await (await fetch(`${url}/api/organizations`, { method: 'POST', headers, body: JSON.stringify({ name }) })).json()).data;
    // One recorded as created; one whose create's answer never came (only its intent is known).
    const recorded = await made(runName(runId, '0', 'org', 1));
    const lost = await made(runName(runId, '0', 'org', 2));
    const ledger = new Ledger(runId, 'w0');
    ledger.created({ kind: 'organization', id: recorded.id, deletePath: `/api/organizations/${recorded.id}`, credential: {} });
    ledger.intend({ kind: 'organization', marker: lost.name, markerField: 'name', listPath: '/api/organizations', credential: {}, deleteTemplate: '/api/organizations/{id}' });
    const dry = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/sweep.ts', '--dry-run'], { env: hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: EMBEDDED_KEYS.partner, CONFORMANCE_RPS: '0' }) });
    let out = '';
    dry.stdout.on('data', (d) => (out += d));
    dry.stderr.on('data', (d) => (out += d));
    expect(await new Promise((ok) => dry.on('exit', ok)), out).toBe(0);
    for (const o of [recorded, lost]) expect(out).toContain(`would delete organization ${o.id} (/api/organizations/${o.id}), left by run ${runId}`);
    expect(out).toMatch(/dry run, 2 would be deleted/);
    const listed = (await (await fetch(`${url}/api/organizations`, { headers })).json()).data.map((o: { id: string }) => o.id);
    expect(listed).toEqual(expect.arrayContaining([recorded.id, lost.id]));
  } finally {
    removeLedgers(runId);
    await stopProcess(child);
  }
});
