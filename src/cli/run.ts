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

/** Playwright test options that take a value (`--grep users`, `--grep=users`), and those that do not. */
const VALUED = new Set(['--add-reporter', '--browser', '-c', '--config', '-g', '--grep', '-G', '--grep-invert', '--global-timeout', '-j', '--workers', '--last-failed-file', '--max-failures', '--output', '--project', '--repeat-each', '--reporter', '--retries', '--run-agents', '--shard', '--test-list', '--test-list-invert', '--timeout', '--trace', '--tsconfig', '--ui-host', '--ui-port', '--update-source-method']);
const FLAGS = new Set(['--debug', '--fail-on-flaky-tests', '--forbid-only', '--fully-parallel', '--headed', '--ignore-snapshots', '--last-failed', '--list', '--no-deps', '--only-changed', '--pass-with-no-tests', '--quiet', '--shuffle', '-u', '--update-snapshots', '--ui', '-x']);

/**
 * Checks the arguments a command hands to Playwright before anything runs: an option Playwright
 * does not have, one missing its value, or a file filter no test file of `dir` matches (what
 * `npm run conformance -g users` becomes: npm takes `-g` for itself and passes `users` on) is
 * a usage mistake, one line naming what was meant.
 */
export function checkPlaywrightArgs(args: readonly string[], dir: string, files: readonly string[], command: string): void {
  if (process.env.npm_config_global === 'true') {
    throw new UserError(`npm took -g for its own option (global), not the run's: put the run's options after --, e.g. npm run ${command} -- -g users`);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith('-') ? a.split('=')[0] : undefined;
    if (name && VALUED.has(name)) {
      if (!a.includes('=') && (i + 1 >= args.length || args[i + 1].startsWith('-'))) throw new UserError(`${name} needs a value, e.g. npm run ${command} -- ${name === '-g' || name === '--grep' ? '-g users' : `${name} <value>`}`);
      if (!a.includes('=')) i++;
    } else if (name && !FLAGS.has(name)) {
      throw new UserError(`${name} is not an option of npm run ${command} (Playwright test's options: -g, --shard, --workers, --list, ...: npx playwright test --help)`);
    } else if (!name) {
      let re: RegExp;
      try {
        re = new RegExp(a);
      } catch {
        re = new RegExp(a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      }
      if (!files.some((f) => re.test(f))) {
        throw new UserError(`no test file of ${dir} matches "${a}"; to run the tests whose titles match it, use npm run ${command} -- -g ${JSON.stringify(a)}`);
      }
    }
  }
}
