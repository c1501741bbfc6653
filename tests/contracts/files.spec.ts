import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../src/model/config';
import { loadContracts } from '../../src/model/contracts';
import { UserError } from '../../src/model/errors';
import { effectiveFor } from '../../src/run/describe';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { unknownNames } from '../../src/model/spec/names';
import { hermeticEnv } from '../support/processes';

/**
 * Every file in contracts/, and the configuration, is checked when it is read: a misspelt key or a
 * value of the wrong kind is one line naming the file, the place and the fix - never ignored.
 */
function contractsWith(dir: string, file: string, edit: (text: string) => string): string {
  cpSync(loadContracts().dir, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

const CASES: [string, string, (t: string) => string, RegExp][] = [
  ['a misspelt key in questions.yaml', 'questions.yaml', (t) => t.replace('  asks: Which API version', '  aks: Which API version'), /questions\.yaml: default_version: unknown key "aks" \(did you mean asks\?\)/],
  ['a misspelt key in invariants.yaml', 'invariants.yaml', (t) => t.replace('  fields: [id, organization_id, role_ids]', '  feilds: [id, organization_id, role_ids]'), /invariants\.yaml: uuid_fields: unknown key "feilds" \(did you mean fields\?\)/],
  ['a rule with neither source nor guess', 'invariants.yaml', (t) => t.replace(/\n {2}source: ts 25\.9\.2 CreateOrganizationRequestSchema\.ts[^\n]*/, ''), /invariants\.yaml: never_returned: must match exactly one schema in oneOf \(each rule names its `source:` or says `guess:`/],
  ['a rule of a kind the engine does not judge', 'invariants.yaml', (t) => `${t}\nfew_users:\n  kind: at_least_one\n  rule: r\n  guess: g\n  resource: user\n`, /invariants\.yaml: few_users\.kind: "at_least_one" is not one of "unique_per_container", "at_most_per_container"/],
  ['a kind of rule without what it needs', 'invariants.yaml', (t) => `${t}\none_name:\n  kind: unique_per_container\n  rule: r\n  guess: g\n  resource: user\n`, /invariants\.yaml: one_name: .*field/],
  ['a misspelt question in a profile', 'targets/embedded.yaml', (t) => t.replace('  default_version:', '  defualt_version:'), /targets\/embedded\.yaml: answers\.defualt_version is not a question of contracts\/questions\.yaml \(did you mean default_version\?\)/],
  ['an answer no conforming server gives', 'targets/embedded.yaml', (t) => t.replace(/org_delete_status:\n {4}accept: \[204\]/, 'org_delete_status:\n    accept: [202]'), /answers\.org_delete_status accepts 202, which is not an answer of org_delete_status in contracts\/questions\.yaml \(200, 204\)/],
  ['a misspelt key in the drift baseline', 'drift-baseline.yaml', () => 'entries:\n  - { key: "users_get *", ownr: me, reason: r, expires: "2999-01-01" }\n', /drift-baseline\.yaml: entries\.0: unknown key "ownr"/],
];

for (const [what, file, edit, message] of CASES) {
  test(`${what} is a one-line error naming the place and the fix`, async ({}, testInfo) => {
    const dir = contractsWith(testInfo.outputPath('contracts'), file, edit);
    let error: unknown;
    try {
      loadContracts(dir, 'embedded');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
}

test('a misspelt key or check id in the configuration file is a one-line error', async ({}, testInfo) => {
  const file = testInfo.outputPath('conformance.config.ts');
  writeFileSync(file, "export default { drfit: { policy: { undeclared_field: 'fail' } } };\n");
  expect(() => readConfig({ CONFORMANCE_CONFIG: file })).toThrow(/conformance\.config\.ts: unknown key "drfit" \(did you mean drift\?\)/);
  const checks = testInfo.outputPath('checks.config.ts');
  writeFileSync(checks, "export default { checks: { negative_data_rejectoin: { expectedStatuses: [400] } } };\n");
  expect(() => effectiveFor(readConfig({ CONFORMANCE_CONFIG: checks }))).toThrow(/checks\.negative_data_rejectoin .* is not a check of the suite \(did you mean negative_data_rejection\?\)/);
});

test('npm run conformance with a broken contracts file exits 2 with that one line', async ({}, testInfo) => {
  const dir = contractsWith(testInfo.outputPath('contracts'), 'targets/embedded.yaml', (t) => t.replace('  default_version:', '  defualt_version:'));
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/conformance.ts'], { env: hermeticEnv({ CONFORMANCE_CONTRACTS_DIR: dir }), encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^conformance: .*embedded\.yaml: answers\.defualt_version is not a question/);
});

test('a rule of a kind naming a resource or field the spec lacks is one line naming both', async ({}, testInfo) => {
  const dir = contractsWith(testInfo.outputPath('contracts'), 'invariants.yaml', (t) => `${t}\none_hook:\n  kind: at_most_per_container\n  rule: r\n  guess: g\n  resource: hook\n  most: 1\nunique_mail:\n  kind: unique_per_container\n  rule: r\n  guess: g\n  resource: user\n  field: mail\n`);
  expect(unknownNames(loadSpec(DEFAULT_SPEC), loadContracts(dir, 'embedded'))).toEqual([
    "contracts/invariants.yaml one_hook names the resource hook, which the spec's x-resources does not have",
    'contracts/invariants.yaml unique_mail names the field mail, which User does not have',
  ]);
});
