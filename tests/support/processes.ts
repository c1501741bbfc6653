import { withoutSuiteSettings } from '../../src/model/config';
import { type ChildProcess, spawn } from 'node:child_process';

/** Starts `npm run mock` as its own process (as a user would) and resolves with its URL. */
export function startMockProcess(env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'mock/cli.ts'], { env: { ...process.env, PORT: '0', ...env } });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok({ child, url: m[1] });
    });
    child.on('exit', (code) => fail(new Error(`mock exited with ${code}: ${out}`)));
  });
}

/** The environment without the caller's target settings, so a child run is hermetic. */
export function hermeticEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Runs against faulty mocks must not add to the committed regression corpus.
  return { ...withoutSuiteSettings(), CONFORMANCE_REGRESSIONS_DIR: 'reports/regressions-selftest', ...extra };
}
