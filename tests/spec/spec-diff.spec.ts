import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { diffSpecs, type RuleId } from '../../src/model/spec/diff';
import { loadSpec } from '../../src/model/spec/load';

/** The CLI's exit codes and outputs, and the real 2024 -> 2025 diff (the rules: spec-diff-battery.spec.ts). */

function cli(...args: string[]) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/spec-diff.ts', ...args], { encoding: 'utf8' });
}

test('the CLI exits 1 on breaking changes, 0 without, 2 on a usage mistake, and writes markdown and JSON', ({}, testInfo) => {
  const out = testInfo.outputPath('diff');
  const real = cli('specs/polytomic-2024-02-08.yaml', 'specs/polytomic-2025-09-18.yaml', '--out', out);
  expect(real.status).toBe(1);
  expect(existsSync(`${out}/spec-diff.md`) && existsSync(`${out}/spec-diff.json`)).toBe(true);
  expect(cli('specs/polytomic-2025-09-18.yaml', 'specs/polytomic-2025-09-18.yaml', '--out', out).status).toBe(0);
  const bad = cli('specs/nope.yaml');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/two spec files are needed/);
});

test('2024-02-08 -> 2025-09-18 lists the breaking changes the version history describes', () => {
  const changes = diffSpecs(loadSpec('specs/polytomic-2024-02-08.yaml'), loadSpec('specs/polytomic-2025-09-18.yaml'));
  const has = (rule: RuleId, op: RegExp, msg: RegExp = /./) => changes.some((c) => c.rule === rule && c.operations.some((o) => op.test(o)) && msg.test(c.message));
  expect(has('method_changed', /users_update/, /PATCH .* became PUT/)).toBe(true);
  expect(has('method_changed', /organization_update/)).toBe(true);
  expect(has('response_property_removed', /users_get/, /property error was removed/)).toBe(true); // 401 RestErrResponse -> ApiError
  expect(has('operation_added', /organization_getCurrent/)).toBe(true);
  // Roles and policies: the user key and the organization-scoped key arrived, the Idempotency-Key too.
  expect(has('security_scheme_added', /roles_create/)).toBe(true);
  expect(has('parameter_added_optional', /policies_update/, /Idempotency-Key/)).toBe(true);
  expect(changes.some((c) => c.rule === 'method_changed' && c.operations.some((o) => /roles|policies/.test(o)))).toBe(false);
  expect(has('response_property_added', /users_get/, /role_ids/)).toBe(true);
  // The enum newly put on policy_actions[].action narrows what clients may send.
  expect(has('request_enum_narrowed', /policies_create/, /only "read"/)).toBe(true);
  expect(changes.find((c) => c.rule === 'operation_added')?.breaking).toBe(false);
});
