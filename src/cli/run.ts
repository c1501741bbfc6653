import { spawn } from 'node:child_process';
import { UserError } from '../model/errors';

/** Runs a CLI body: a UserError is one line on stderr and exit code 2, never a stack trace. */
export function main(name: string, body: () => Promise<number>): void {
  body().then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof UserError) {
        process.stderr.write(`${name}: ${e.message}\n`);
        process.exit(e.exitCode);
      }
      process.stderr.write(`${name}: internal error (please report): ${e?.stack ?? e}\n`);
      process.exit(3);
    },
  );
}

/** Runs Playwright's CLI with inherited output; resolves with its exit code. */
export function playwright(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', ...args], { stdio: 'inherit', env });
    // Ctrl+C already reaches the child through the process group (a second one would make
    // Playwright skip its teardown, the ledger cleanup): wait for it. SIGTERM is passed on.
    const wait = () => undefined;
    const terminate = () => child.kill('SIGTERM');
    process.on('SIGINT', wait);
    process.on('SIGTERM', terminate);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', terminate);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}
