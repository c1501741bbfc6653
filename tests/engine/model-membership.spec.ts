import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { DEFAULT_SPEC, loadSpec } from '../../src/model/spec/load';
import { scenarios } from '../../src/run/scenarios';
import { membershipOf, NO_MEMBERSHIP } from '../../src/run/workflows/model';

/** The model run's resources are read from the spec, and a spec that gives none skips it with the reason. */
test('the model run models what the spec says refers to what', () => {
  const m = membershipOf(loadSpec(DEFAULT_SPEC))!;
  expect({ container: m.container, member: m.member.kind, referred: m.referred.kind, field: m.field, update: m.update.id }).toEqual({
    container: 'organization',
    member: 'user',
    referred: 'role',
    field: 'role_ids',
    // The update whose body needs nothing but the references (the other requires the email too).
    update: 'users_updateCurrentOrgUser',
  });
});

test('a spec whose bodies refer to nothing has no model run, and says why', () => {
  const doc = parse(readFileSync(DEFAULT_SPEC, 'utf8'));
  // Without x-resource marks, no body names an instance of another resource.
  const text = stringify(doc).replace(/x-resource: \w+/g, 'x-note: unmarked');
  const file = test.info().outputPath('unmarked.yaml');
  writeFileSync(file, text);
  const spec = loadSpec(file);
  expect(membershipOf(spec)).toBeUndefined();
  const model = scenarios(spec).find((s) => s.kind === 'model')!;
  expect(model.skip?.({ config: { readOnly: false } } as never)).toBe(NO_MEMBERSHIP);
});
