import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { withoutSuiteSettings } from '../model/config';
import { measurePace } from '../run/processes';
import { main, playwright } from './run';

/**
 * `npm test`: the suite's own tests and the conformance run against the embedded mock, hermetic
 * (the caller's target settings never leak into them). By default the quick ones; `--all` adds
 * the heavy ones (tagged @heavy: whole-suite runs under variations, shards, calibration, the SDK
 * gate, Prism, the benches), as CI runs them. Time budgets scale with how loaded the machine is;
 * every process the tests started carries a mark, and must be gone when they end (see the summary
 * reporter).
 */
main('test', async () => {
  const args = process.argv.slice(2);
  const all = args.includes('--all');
  const env = withoutSuiteSettings();
  // Its runs write under reports/selftest/: the user's own reports are never touched.
  env.CONFORMANCE_REPORTS_DIR = 'reports/selftest';
  rmSync(env.CONFORMANCE_REPORTS_DIR, { recursive: true, force: true });
  const pace = measurePace();
  env.SELFTEST_PACE = String(pace);
  const mark = `SELFTEST_MARK=${randomBytes(6).toString('hex')}`;
  env.SELFTEST_MARK = mark.split('=')[1];
  // Runs the tests start inherit the mark; only the Playwright this process starts looks for what is left.
  env.SELFTEST_PARENT = String(process.pid);
  process.stdout.write(`npm test: ${all ? 'every test' : 'the quick tests (npm test -- --all adds the heavy ones, as CI runs them)'}; machine pace ${pace}x, time budgets scaled by it\n`);
  // The summary reporter looks for processes carrying the mark once every test is done.
  return playwright([...(all ? [] : ['--grep-invert', '@heavy']), ...args.filter((a) => a !== '--all')], env);
});
