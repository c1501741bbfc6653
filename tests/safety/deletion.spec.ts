import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { removeAll } from '../../src/target/cleanup';
import { credential } from '../../src/target/credentials';
import { HttpClient } from '../../src/target/http';
import type { CreatedEntry } from '../../src/target/ledger';

/**
 * Nothing counts as deleted that a read does not confirm: a delete answered 403 (which a profile
 * may accept as a not-found answer) of an instance a read still finds leaves it behind, its
 * ledger entry kept; one a read no longer finds is gone.
 */
async function target(answers: { del: number; read: (deleted: boolean) => number }) {
  let deleted = false;
  const s = http.createServer((req, res) => {
    req.resume();
    if (req.method === 'DELETE') {
      const status = answers.del;
      if (status < 300) deleted = true;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 204 ? undefined : '{"status":403,"message":"forbidden"}');
      return;
    }
    const status = answers.read(deleted);
    res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"data":{"id":"o1","name":"x"}}' : `{"status":${status},"message":"no"}`);
  });
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const client = new HttpClient(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  const t = { client, own: credential('partner', 'poly_test_key', 'POLYTOMIC_PARTNER_KEY'), version: { header: 'X-Polytomic-Version', value: '2025-09-18' }, gone: new Set([404, 403]) };
  const close = () => {
    client.close();
    return new Promise<void>((ok) => s.close(() => ok()));
  };
  return { t, close };
}

const entry: CreatedEntry = { kind: 'organization', id: 'o1', deletePath: '/api/organizations/o1', readPath: '/api/organizations/o1', credential: {} };

test('a delete answered 403 of an instance a read still finds is left behind, even where 403 is a not-found answer', async () => {
  const { t, close } = await target({ del: 403, read: () => 200 });
  try {
    const { gone, left } = await removeAll(t, [entry]);
    expect(gone).toEqual([]);
    expect(left).toEqual([{ entry, status: '403, then read 200' }]);
  } finally {
    await close();
  }
});

test('a delete the read confirms is gone; one answered 2xx that a read still finds is left behind', async () => {
  const confirmed = await target({ del: 204, read: (deleted) => (deleted ? 404 : 200) });
  try {
    expect((await removeAll(confirmed.t, [entry])).gone).toEqual([entry]);
  } finally {
    await confirmed.close();
  }
  const lying = await target({ del: 204, read: () => 200 });
  try {
    expect((await removeAll(lying.t, [entry])).left).toEqual([{ entry, status: '204, then read 200' }]);
  } finally {
    await lying.close();
  }
});
