import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors';
import { projectPath } from '../paths';
import { didYouMean } from '../text';
import { readCheckedYaml } from '../yaml-file';
import { type Baseline, loadBaseline } from './baseline';
import { type Answer, type Basis, type ChecksConfig, type ProfileDrift, type ProfileEntry, type Question, TargetProfile } from './profile';
import { INVARIANTS_SCHEMA, PROFILE_SCHEMA, QUESTIONS_SCHEMA } from './schema';

export { Baseline, type BaselineEntry, type DriftStatus } from './baseline';
export { type Answer, type Basis, type ChecksConfig, type Question, TargetProfile } from './profile';

/** A rule of invariants.yaml, with where it comes from (`source`) or why it is assumed (`guess`). */
export interface Rule {
  rule: string;
  source?: string;
  guess?: string;
}

/** contracts/invariants.yaml: rules of the API the OpenAPI document cannot express. */
export interface Invariants {
  versions: Rule & { header: string; supported: string[] };
  unauthenticated: Rule & { status: number };
  required_fields: Rule & { entities: Record<string, string[]> };
  envelope_data: Rule;
  nullable_arrays_present: Rule & { entities: Record<string, string[]> };
  uuid_fields: Rule & { fields: string[] };
  never_returned: Rule & { fields: string[] };
  error_status_matches_http: Rule;
  legacy_roles: Rule & { values: string[] };
  update_user_email: Rule;
  idempotency: Rule & { key_pattern: string; in_flight_status: number };
  tenant_scope: Rule;
  force_revokes_keys: Rule;
  holder_delete_revokes_keys: Rule;
  owner_org_first: Rule;
  owner_org_protected: Rule;
  update_replaces_whole: Rule;
  stale_role_ids_kept: Rule;
  existence_not_revealed: Rule;
  identity_names_caller: Rule & { operation: string; callers: Record<string, CallerExpectation> };
}

/**
 * What an identity answer says of a caller of one credential kind: field values, where `$holder`
 * is the instance the credential stands for (a user key's user) and `$scope` the organization it
 * acts in (`$holder.id`); or, where a question decides, the expectation per answer.
 */
export type CallerExpectation = Record<string, unknown> | { 'answered-by': string; [answer: string]: unknown };

export type InvariantId = keyof Invariants;

/**
 * A rule of a kind the engine judges for any resource, added to invariants.yaml by name: no two
 * instances of a container share a field's value; a container holds at most so many.
 */
export type KindedRule = Rule & { id: string; resource: string } & ({ kind: 'unique_per_container'; field: string } | { kind: 'at_most_per_container'; most: number });

/** The rules of invariants.yaml that name their kind (the open set beside the engine's own). */
export function kindedRules(inv: Invariants): KindedRule[] {
  // Asked of every list and create: read once per invariants file.
  let out = kindedOf.get(inv);
  if (!out) {
    out = Object.entries(inv as unknown as Record<string, { kind?: string }>)
      .filter(([, r]) => typeof r?.kind === 'string')
      .map(([id, r]) => ({ id, ...r }) as KindedRule);
    kindedOf.set(inv, out);
  }
  return out;
}
const kindedOf = new WeakMap<Invariants, KindedRule[]>();

/** For a finding: the rule it rests on, of either set, and whether a source states it or it is a guess. */
export function citeRule(id: string, r: Rule): { rule: string; basis: 'source' | 'guess'; note: string } {
  return r.source ? { rule: `invariant ${id}`, basis: 'source', note: `invariant ${id} (source: ${r.source})` } : { rule: `invariant ${id}`, basis: 'guess', note: `invariant ${id} (a guess: ${r.guess})` };
}

export interface Contracts {
  dir: string;
  invariants: Invariants;
  questions: ReadonlyMap<string, Question>;
  /** The target's answers to the questions. */
  profile: TargetProfile;
  /** contracts/drift-baseline.yaml: known drift that does not fail the run. */
  baseline: Baseline;
}

export const DEFAULT_CONTRACTS_DIR = projectPath('contracts');

/** For a finding: which invariant it rests on, and whether a source states it or it is a guess. */
export function citeInvariant(inv: Invariants, id: InvariantId): { rule: string; basis: 'source' | 'guess'; note: string } {
  return citeRule(id, inv[id]);
}

function loadQuestions(dir: string): Map<string, Question> {
  const raw = readCheckedYaml<Record<string, { asks: string; answers: Answer[]; open: string; 'shown-by'?: 'clients' }>>(join(dir, 'questions.yaml'), QUESTIONS_SCHEMA, 'questions file');
  return new Map(Object.entries(raw).map(([id, q]) => [id, { id, asks: q.asks, answers: q.answers, open: q.open, ...(q['shown-by'] ? { shownBy: q['shown-by'] } : {}) }]));
}

interface RawProfile {
  describes: string;
  extends?: string;
  answers: Record<string, { accept: Answer[]; guess?: string; source?: string; observed?: { on: string; request: string; response: string } }>;
  checks?: ChecksConfig;
  drift?: ProfileDrift;
}

export function profilesIn(dir: string): string[] {
  const d = join(dir, 'targets');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort() : [];
}

function basisOf(a: RawProfile['answers'][string]): Basis {
  if (a.observed) return { kind: 'observed', ...a.observed };
  return a.source ? { kind: 'source', source: a.source } : { kind: 'guess', why: a.guess! };
}

/**
 * Reads contracts/targets/<name>.yaml, following `extends`, and checks it: every answer names a
 * question, accepts only answers that question has, and every question is answered.
 */
export function loadProfile(dir: string, name: string, questions: ReadonlyMap<string, Question>, seen: string[] = []): TargetProfile {
  const file = join(dir, 'targets', `${name}.yaml`);
  if (!existsSync(file)) {
    throw new UserError(`no target profile ${name} (${file})${didYouMean(name, profilesIn(dir))}; set CONFORMANCE_TARGET_PROFILE or the config's profile to one of contracts/targets/`);
  }
  if (seen.includes(name)) throw new UserError(`target profile ${name} extends itself (${[...seen, name].join(' -> ')})`);
  const raw = readCheckedYaml<RawProfile>(file, PROFILE_SCHEMA, 'target profile');
  const where = `contracts/targets/${name}.yaml`;
  const entries = new Map<string, ProfileEntry>();
  let checks: ChecksConfig = {};
  let drift: ProfileDrift | undefined;
  if (raw.extends) {
    const base = loadProfile(dir, raw.extends, questions, [...seen, name]);
    for (const [id, e] of base.all()) entries.set(id, e);
    checks = { ...base.checks };
    drift = base.drift;
  }
  for (const [id, a] of Object.entries(raw.answers)) {
    const q = questions.get(id);
    if (!q) throw new UserError(`${where}: answers.${id} is not a question of contracts/questions.yaml${didYouMean(id, [...questions.keys()])}`);
    const outside = a.accept.filter((x) => !q.answers.some((y) => String(y) === String(x)));
    if (outside.length) throw new UserError(`${where}: answers.${id} accepts ${outside.join(', ')}, which is not an answer of ${id} in contracts/questions.yaml (${q.answers.join(', ')})`);
    entries.set(id, { accept: a.accept, basis: basisOf(a) });
  }
  const missing = [...questions.keys()].filter((id) => !entries.has(id));
  if (missing.length) throw new UserError(`${where} does not answer ${missing.join(', ')}; add them (or extend a profile that does)`);
  return new TargetProfile(name, raw.describes, questions, entries, { ...checks, ...raw.checks }, raw.drift ? { policy: { ...drift?.policy, ...raw.drift.policy }, infrastructureHeaders: raw.drift.infrastructureHeaders ?? drift?.infrastructureHeaders } : drift);
}

const cache = new Map<string, Contracts>();

/**
 * contracts/ for a target profile. The profile defaults to `embedded`; CLIs pass the one the run
 * is configured with.
 */
export function loadContracts(dir = process.env.CONFORMANCE_CONTRACTS_DIR || DEFAULT_CONTRACTS_DIR, profile = 'embedded'): Contracts {
  const abs = resolve(dir);
  const key = `${abs}#${profile}`;
  let c = cache.get(key);
  if (!c) {
    if (!existsSync(abs)) throw new UserError(`contracts directory not found: ${dir} (set CONFORMANCE_CONTRACTS_DIR to a directory like contracts/)`);
    const questions = loadQuestions(abs);
    c = {
      dir: abs,
      invariants: readCheckedYaml<Invariants>(join(abs, 'invariants.yaml'), INVARIANTS_SCHEMA, 'invariants file'),
      questions,
      profile: loadProfile(abs, profile, questions),
      baseline: loadBaseline(abs),
    };
    cache.set(key, c);
  }
  return c;
}
