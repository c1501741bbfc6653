import { expect, test } from '@playwright/test';
import { DEFAULT_SPEC, loadSpec, matchPath } from '../../src/model/spec/load';
import { validatorsFor } from '../../src/model/validators';

test.describe('spec index', () => {
  const spec = loadSpec(DEFAULT_SPEC);

  test('indexes all 28 operations with unique ids and their credentials', () => {
    expect(spec.operations).toHaveLength(28);
    expect(new Set(spec.operations.map((o) => o.id)).size).toBe(28);
    expect(spec.byId.get('users_list')?.credentials).toEqual(['partner', 'deployment']);
    expect(spec.byId.get('organization_getCurrent')?.credentials).toEqual(['user', 'org_basic', 'deployment_org']);
    expect(spec.byId.get('roles_update')?.credentials).toEqual(['user', 'org_basic', 'deployment_org']);
    expect(spec.byId.get('identity_get')?.credentials).toEqual(['partner', 'user', 'org_basic', 'deployment', 'deployment_org']);
    expect(spec.byId.get('organization_update')?.method).toBe('put');
    expect(spec.byId.get('users_update')?.method).toBe('put');
  });

  test('matches concrete paths to templates', () => {
    expect(matchPath(spec, '/api/organizations/o1/users/u1/keys?force=true')).toEqual({
      path: '/api/organizations/{org_id}/users/{id}/keys',
      params: { org_id: 'o1', id: 'u1' },
    });
    expect(matchPath(spec, '/api/organization')?.path).toBe('/api/organization');
    expect(matchPath(spec, '/api/nope')).toBeUndefined();
  });

  test('compiled validators accept a null role_ids and reject role with role_ids', () => {
    const v = validatorsFor(spec);
    const create = spec.byId.get('users_create')!;
    expect(v.check(create.responses.get('200')!.schemaPointer!, { data: { role_ids: null } })).toEqual([]);
    const issues = v.check(create.requestBody!.schemaPointer, { email: 'a@b.co', role: 'admin', role_ids: ['x'] });
    expect(issues.map((i) => i.keyword).sort()).toEqual(['format', 'not']);
  });
});
