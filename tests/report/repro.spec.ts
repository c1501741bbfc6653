import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { hermeticEnv, startMockProcess, stopProcess } from '../support/processes';

/**
 * A reproduction runs after the run: the run's cleanup deleted everything it made, yet each
 * defect's reproduction (npm run repro) makes what its request needs with the partner key alone,
 * shows the defect again, and deletes what it made. Against a target without the fault it says
 * the defect is gone.
 */
test.slow();

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), script, ...args], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((ok) => child.on('exit', (code) => ok({ code, out: stripVTControlCharacters(out) })));
}

test('each defect of a finished run is reproduced after it, on its own, and what the reproduction made is deleted', async () => {
  const faulty = await startMockProcess({ MOCK_FAULTS: 'user_email_number,role_ids_omitted_when_null' });
  const fixed = await startMockProcess();
  try {
    const base = { POLYTOMIC_PARTNER_KEY: 'poly_partner_main_key', CONFORMANCE_TARGET_PROFILE: 'embedded', CONFORMANCE_RPS: '0' };
    const env = hermeticEnv({ ...base, POLYTOMIC_BASE_URL: faulty.url });
    const snapshot = async () => (await fetch(`${faulty.url}/__mock/snapshot`)).json();
    const conformance = await run('src/cli/conformance.ts', ['-g', 'users_get'], env);
    expect(conformance.code, conformance.out).toBe(1);
    expect(conformance.out).toMatch(/\n2 defects:\n/);
    const commands = [...conformance.out.matchAll(/again: npm run repro -- (\d+) --run (ct-[a-z0-9]+)/g)];
    expect(commands.map((m) => m[1])).toEqual(['1', '2']);
    const before = await snapshot();

    const again = await run('src/cli/repro.ts', [], env);
    expect(again.code, again.out).toBe(1);
    expect(again.out).toMatch(/ {2}1\. \[(contract_nullable_role_ids|response_schema_conformance)\] .*\n {5}reproduced, in \d+ requests?: /);
    expect(again.out).toMatch(/ {2}2\. \[(contract_nullable_role_ids|response_schema_conformance)\] .*\n {5}reproduced, in \d+ requests?: /);
    expect(again.out).toMatch(/repro: 2 of 2 reproduced\n/);
    expect(await snapshot()).toEqual(before);

    // The printed command, one defect, against a target where it is fixed.
    const [, n, runId] = commands[1];
    const gone = await run('src/cli/repro.ts', [n, '--run', runId], { ...env, POLYTOMIC_BASE_URL: fixed.url });
    expect(gone.code, gone.out).toBe(0);
    expect(gone.out).toMatch(/not reproduced: .* it broke no rule/);
    expect(gone.out).toMatch(/repro: 0 of 1 reproduced\n/);
  } finally {
    await Promise.all([stopProcess(faulty.child), stopProcess(fixed.child)]);
  }
});

test('repro says what is wrong in one line: no run, a defect the run does not have, an unknown option', async () => {
  const env = hermeticEnv({ POLYTOMIC_BASE_URL: 'http://127.0.0.1:9', POLYTOMIC_PARTNER_KEY: 'k' });
  const none = await run('src/cli/repro.ts', [], env);
  expect(none.code).toBe(2);
  expect(none.out).toMatch(/^repro: no run to reproduce: .*latest names none; run npm run conformance first, or pass --run RUN\n$/);
  const unknown = await run('src/cli/repro.ts', ['--fast'], env);
  expect(unknown.code).toBe(2);
  expect(unknown.out).toMatch(/^repro: unknown or incomplete option --fast; usage: npm run repro/);
  const missing = await run('src/cli/repro.ts', ['1', '--run', 'ct-nosuch'], env);
  expect(missing.code).toBe(2);
  expect(missing.out).toMatch(/^repro: .*defects\.json does not exist: no run ct-nosuch finished in/);
});
