import { test } from '@playwright/test';
import { withoutSuiteSettings } from '../../src/model/config';
import { type ChildProcess, spawn } from 'node:child_process';

/** Starts `npm run mock` as its own process (as a user would) and resolves with its URL. */
export function startMockProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'mock/cli.ts'], { env: { ...process.env, PORT: '0', ...env } });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok({ child, url: m[1] });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(new Error(`mock exited with ${code}: ${out}${err}`)));
  });
}

/**
 * The environment without the caller's target settings, so a child run is hermetic; its reports
 * go to the test's own output directory, never the user's.
 */
export function hermeticEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...withoutSuiteSettings(), CONFORMANCE_REPORTS_DIR: reportsDirOfTest(), ...extra };
}

/** Where a run a test starts writes its reports: the test's own output directory. */
export function reportsDirOfTest(): string {
  return test.info().outputPath('reports');
}

/** A time budget in milliseconds, scaled by how loaded the machine is (npm test measures it: SELFTEST_PACE). */
export const budget = (ms: number) => ms * Math.max(1, Number(process.env.SELFTEST_PACE) || 1);

/** Stops a process a test started and waits until it is gone (the run checks that none is left). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((ok) => child.once('exit', ok));
  child.kill();
  await gone;
}
