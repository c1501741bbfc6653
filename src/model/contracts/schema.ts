/**
 * JSON Schemas of the files in contracts/ and of the configuration: each is checked when it is
 * read, so a misspelt key or a value of the wrong kind is a one-line error, never ignored.
 */

const answer = { type: ['string', 'number'] };
const text = { type: 'string', minLength: 1 };

/** A rule of invariants.yaml: what it says, and where that comes from or why it is assumed. */
function sourced(params: Record<string, object> = {}): object {
  return {
    type: 'object',
    description: 'each rule names its `source:` or says `guess:`, and not both',
    properties: { rule: text, source: text, guess: text, ...params },
    required: ['rule', ...Object.keys(params)],
    additionalProperties: false,
    oneOf: [{ required: ['source'] }, { required: ['guess'] }],
  };
}

const entityFields = { type: 'object', additionalProperties: { type: 'array', items: text } };
const names = { type: 'array', items: text, minItems: 1 };

export const INVARIANTS_SCHEMA = {
  type: 'object',
  properties: {
    versions: sourced({ header: text, supported: names }),
    unauthenticated: sourced({ status: { type: 'integer', minimum: 400, maximum: 499 } }),
    required_fields: sourced({ entities: entityFields }),
    envelope_data: sourced(),
    nullable_arrays_present: sourced({ entities: entityFields }),
    uuid_fields: sourced({ fields: names }),
    never_returned: sourced({ fields: names }),
    error_status_matches_http: sourced(),
    legacy_roles: sourced({ values: names }),
    update_user_email: sourced(),
    idempotency: sourced({ key_pattern: text, in_flight_status: { type: 'integer' } }),
    tenant_scope: sourced(),
    force_revokes_keys: sourced(),
    holder_delete_revokes_keys: sourced(),
    owner_org_first: sourced(),
    owner_org_protected: sourced(),
    update_replaces_whole: sourced(),
    stale_role_ids_kept: sourced(),
    existence_not_revealed: sourced(),
    identity_names_caller: sourced({ operation: text, callers: { type: 'object', propertyNames: { pattern: '^[a-z][a-z0-9_]*$' }, additionalProperties: { type: 'object' } } }),
  },
  // Rules of the kinds every resource may have, added by name: `kind` says which.
  additionalProperties: {
    type: 'object',
    description: 'a rule of one of the kinds the engine judges (`kind`), over a resource of the spec',
    properties: {
      kind: { enum: ['unique_per_container', 'at_most_per_container'] },
      rule: text,
      source: text,
      guess: text,
      resource: text,
      field: text,
      most: { type: 'integer', minimum: 1 },
    },
    required: ['kind', 'rule', 'resource'],
    additionalProperties: false,
    oneOf: [{ required: ['source'] }, { required: ['guess'] }],
    // What each kind needs: JSON Schema's if/then, which names the missing key in the error.
    allOf: [
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
      { if: { properties: { kind: { const: 'unique_per_container' } } }, then: { required: ['field'] } },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
      { if: { properties: { kind: { const: 'at_most_per_container' } } }, then: { required: ['most'] } },
    ],
  },
};
(INVARIANTS_SCHEMA as { required?: string[] }).required = Object.keys(INVARIANTS_SCHEMA.properties);

export const QUESTIONS_SCHEMA = {
  type: 'object',
  propertyNames: { pattern: '^[a-z][a-z0-9_]*$' },
  additionalProperties: {
    type: 'object',
    properties: { asks: text, answers: { type: 'array', items: answer, minItems: 2, uniqueItems: true }, open: text, 'shown-by': { enum: ['clients'] } },
    required: ['asks', 'answers', 'open'],
    additionalProperties: false,
  },
};

/** Strictness per check: on or off, per operation, and the statuses it accepts. */
export const CHECKS_SCHEMA = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      enabled: { type: 'boolean' },
      operations: { type: 'object', additionalProperties: { type: 'boolean' } },
      expectedStatuses: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, minItems: 1 },
      // Each check declares its own options; the registry checks them by name and type.
      options: { type: 'object', additionalProperties: { type: ['integer', 'boolean'] } },
    },
    additionalProperties: false,
  },
};

const observed = {
  type: 'object',
  properties: { on: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, request: text, response: text },
  required: ['on', 'request', 'response'],
  additionalProperties: false,
};

const DRIFT_KINDS = ['undocumented_status', 'undeclared_field', 'undeclared_header', 'null_in_non_nullable', 'enum_value_outside'];

/** What each kind of drift does to the run, and which headers are infrastructure. */
export const DRIFT_SCHEMA = {
  type: 'object',
  properties: {
    policy: {
      type: 'object',
      properties: Object.fromEntries(DRIFT_KINDS.map((k) => [k, { enum: ['fail', 'warn', 'off'] }])),
      additionalProperties: false,
    },
    infrastructureHeaders: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9*-]+$' } },
  },
  additionalProperties: false,
};

export const PROFILE_SCHEMA = {
  type: 'object',
  properties: {
    describes: text,
    extends: text,
    answers: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        description: 'each answer says `guess:` or `source:`, or carries what calibration `observed:`',
        properties: { accept: { type: 'array', items: answer, minItems: 1, uniqueItems: true }, guess: text, source: text, observed },
        required: ['accept'],
        additionalProperties: false,
        oneOf: [{ required: ['guess'] }, { required: ['source'] }, { required: ['observed'] }],
      },
    },
    checks: CHECKS_SCHEMA,
    drift: DRIFT_SCHEMA,
  },
  required: ['describes', 'answers'],
  additionalProperties: false,
};

/** Known findings, each named by `id` (a drift key, an SDK rule) with its owner, reason and expiry. */
function knownEntries(id: string): object {
  return {
    type: 'array',
    items: {
      type: 'object',
      properties: { [id]: text, owner: text, reason: text, expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
      required: [id, 'owner', 'reason', 'expires'],
      additionalProperties: false,
    },
  };
}

export const BASELINE_SCHEMA = {
  type: 'object',
  properties: {
    entries: knownEntries('key'),
  },
  required: ['entries'],
  additionalProperties: false,
};

/** conformance.config.ts (or the file CONFORMANCE_CONFIG names). */
export const CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    profile: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    maxResponseTimeMs: { type: 'integer', minimum: 1 },
    checks: CHECKS_SCHEMA,
    drift: DRIFT_SCHEMA,
  },
  additionalProperties: false,
};

/** contracts/sdk-gate.yaml: the rules that block a release, those reported, and findings known of earlier builds. */
export const SDK_POLICY_SCHEMA = {
  type: 'object',
  properties: {
    block: { type: 'array', items: text, uniqueItems: true },
    report: { type: 'array', items: text, uniqueItems: true },
    known: knownEntries('rule'),
  },
  required: ['block', 'report'],
  additionalProperties: false,
};
