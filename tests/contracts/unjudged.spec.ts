import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { loadContracts } from '../../src/model/contracts';
import { unjudged } from '../../src/run/calibrate/unjudged';
import { hermeticEnv, startMockProcess, stopProcess } from '../support/processes';

/**
 * A run says first what its target profile leaves unjudged: the rules whose every allowed answer
 * it accepts, which cannot fail whatever the target does, and the command that settles them.
 */
test('the polytomic profile leaves 39 of 43 rules unjudged, 37 of which calibration settles; the embedded profile none', () => {
  const live = unjudged(loadContracts(undefined, 'polytomic'), loadSpec(DEFAULT_SPEC));
  expect([live.rules.length, live.of]).toEqual([39, 43]);
  expect(live.rules.filter((r) => r.calibrates === true)).toHaveLength(37);
  expect(live.rules.filter((r) => r.calibrates !== true).map((r) => r.question).sort()).toEqual(['owner_org_delete_status', 'rate_limit_retry_after']);
  expect(unjudged(loadContracts(undefined, 'embedded'), loadSpec(DEFAULT_SPEC)).rules).toEqual([]);
});

test('a run under the polytomic profile opens its summary, defects.md and report name with what it cannot fail', async () => {
  const { child, url } = await startMockProcess();
  try {
    const env = hermeticEnv({ POLYTOMIC_BASE_URL: url, POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_RPS: '0' });
    const run = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts', '-g', 'identity_get'], { env });
    let out = '';
    run.stdout.on('data', (d) => (out += d));
    run.stderr.on('data', (d) => (out += d));
    expect(await new Promise((ok) => run.on('exit', ok)), out).toBe(0);
    const plain = stripVTControlCharacters(out);
    expect(plain).toMatch(/Conformance summary\n\n39 of 43 rules cannot fail under target profile polytomic: .*\n {2}npm run calibrate -- --name <target> settles 37 of them.*\n\nNo defects\./);
    const dir = join(env.CONFORMANCE_REPORTS_DIR!, 'latest');
    expect(readFileSync(join(dir, 'defects.md'), 'utf8')).toMatch(/^# 0 defects\n\n> 39 of 43 rules cannot fail under target profile polytomic/);
    expect(readFileSync(join(dir, 'allurerc.json'), 'utf8')).toContain('"name":"0 defects · 39 of 43 rules unjudged under polytomic · Polytomic API conformance"');
  } finally {
    await stopProcess(child);
  }
});
