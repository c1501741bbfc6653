import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { leftovers, stop } from '../../src/run/processes';

/**
 * A process the tests start and leave running is found by the mark every process of the run
 * inherits, with the ports it listens on, and stopped: npm test then fails (the summary reporter
 * counts each), so no mock or proxy outlives the run that started it.
 */
test('a marked process left listening is found with its port, and stopped', async ({}, testInfo) => {
  const mark = `SELFTEST_MARK=leftover-${testInfo.workerIndex}-${Date.now()}`;
  const script = "require('node:http').createServer(() => {}).listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n') })";
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, SELFTEST_MARK: mark.split('=')[1] } });
  const port = await new Promise<number>((ok) => child.stdout.once('data', (d) => ok(Number(String(d).trim()))));
  const found = leftovers(mark);
  expect(found.map((l) => [l.pid, l.ports])).toEqual([[child.pid, [port]]]);
  stop(found.map((l) => l.pid));
  expect(leftovers(mark)).toEqual([]);
  // Nothing listens there any more.
  const refused = await new Promise<boolean>((ok) => http.get(`http://127.0.0.1:${port}`, () => ok(false)).on('error', () => ok(true)));
  expect(refused).toBe(true);
});
