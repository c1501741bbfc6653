import { probeMethods } from '../../src/run/suites/examples';
import { currentSpec } from '../../src/run/current';
import { test } from '../../src/run/fixtures';

/** Methods a path does not declare get 405 (unsupported_method). */
test.skip(({ target }) => target.config.readOnly, 'POLYTOMIC_READ_ONLY=1: a server that wrongly implements an undeclared method could change state');

for (const path of currentSpec().methodsByPath.keys()) {
  test(`Undeclared methods › ${path} answers undeclared methods with 405`, async ({ env }) => {
    await probeMethods(path, env);
  });
}
