import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Baseline, loadBaseline } from './baseline';
import { UserError } from './errors';
import { projectPath } from './paths';

/** contracts/choices.yaml: how the suite settles the reference's open questions. */
export interface Choices {
  default_version: string;
  supported_versions: string[];
  unsupported_version_status: number;
  create_status: number;
  org_delete_status: number;
  validation_status: number;
  malformed_request_status: number;
  update_user_email: 'ignored' | 'applied' | 'rejected';
  duplicate_status: number;
  owner_org_delete_status: number;
  out_of_scope_status: number;
  unsupported_method_status: number;
  rate_limit: { status: number; retry_after_header: string };
  api_key_repeat_without_force: 'second_key' | 'conflict';
  api_key_body: 'ignored';
  credential_kind_mismatch_status: number;
  unauthorized_body: 'ApiError' | 'RestErrResponse';
  idempotency: {
    key_pattern: string;
    methods: string[];
    in_flight_duplicate_status: number;
    reused_with_different_request_status: number;
    scope: 'credential';
  };
  legacy_role_values: string[];
}

/** contracts/invariants.yaml: API-wide rules the official schemas cannot express. */
export interface Invariants {
  entities: Record<string, { required: string[]; nullable_arrays?: string[] }>;
  /** Envelope schema name -> `{ data: Entity }` or `{ data: Entity[] }`. */
  envelopes: Record<string, { data: string }>;
  uuid_fields: string[];
  never_returned: string[];
  error_status_matches_http: boolean;
  version_header: string;
}

export interface Contracts {
  dir: string;
  choices: Choices;
  invariants: Invariants;
  /** contracts/drift-baseline.yaml: known drift that does not fail the run. */
  baseline: Baseline;
}

export const DEFAULT_CONTRACTS_DIR = projectPath('contracts');

function readYaml(file: string): any {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`contracts file not found: ${file} (set CONFORMANCE_CONTRACTS_DIR to a directory holding choices.yaml and invariants.yaml)`);
  }
  try {
    return parseYaml(text);
  } catch (e: any) {
    throw new UserError(`contracts file ${file} is not valid YAML: ${String(e.message).split('\n')[0]}`);
  }
}

const cache = new Map<string, Contracts>();

export function loadContracts(dir = process.env.CONFORMANCE_CONTRACTS_DIR || DEFAULT_CONTRACTS_DIR): Contracts {
  const abs = resolve(dir);
  let c = cache.get(abs);
  if (!c) {
    c = { dir: abs, choices: readYaml(join(abs, 'choices.yaml')), invariants: readYaml(join(abs, 'invariants.yaml')), baseline: loadBaseline(abs) };
    cache.set(abs, c);
  }
  return c;
}
