import { randomBytes } from 'node:crypto';
import { type ConformanceConfig, DEFAULT_DRIFT_POLICY, type EffectiveConfig, INFRASTRUCTURE_HEADERS, readConfigFile } from './config-file';
import type { TargetProfile } from './contracts/profile';
import { UserError } from './errors';
import { CONFIGURED_KEYS, type KeyName } from './keys';
import { expandPath } from './replay-path';
import { DEFAULT_SPEC } from './spec/load';

/** Every setting the suite reads from the environment, with what it means (README table). */
export const SETTINGS = {
  POLYTOMIC_BASE_URL: 'Target base URL; unset = start the embedded mock',
  POLYTOMIC_PARTNER_KEY: 'Partner API key (a live target needs it, or a deployment key)',
  POLYTOMIC_DEPLOYMENT_KEY: 'On-premises: the deployment key, used where no partner key is set (Basic <key>:, and <organization id>:<key> in an organization)',
  POLYTOMIC_FOREIGN_PARTNER_KEY: "A second partner's key, for tenant-isolation checks (optional)",
  POLYTOMIC_OWNER_ORG_ID: "The partner's owner organization id, for owner_org_first (optional)",
  POLYTOMIC_API_VERSION: 'The API version every request asks for, in the version header (default 2025-09-18)',
  POLYTOMIC_READ_ONLY: '1 = only run checks that change nothing on the target',
  CONFORMANCE_SPEC: `OpenAPI document (default ${DEFAULT_SPEC})`,
  CONFORMANCE_CONTRACTS_DIR: 'Directory with questions.yaml, invariants.yaml and targets/ (default contracts/)',
  CONFORMANCE_CONFIG: 'Configuration file (default conformance.config.ts, if present)',
  CONFORMANCE_TARGET_PROFILE: 'Target profile in contracts/targets/ (default embedded for the embedded mock, polytomic for a live target)',
  CONFORMANCE_SEED: 'fast-check seed (default 424242 in the PR profile, random in nightly)',
  CONFORMANCE_PATH: 'fast-check replay path, printed with every failure',
  CONFORMANCE_COMMANDS_PATH: "Replays the model run's shrunk command sequence exactly (printed with its failures)",
  CONFORMANCE_RUNS: 'Runs per property (default 25 in PR, 300 in nightly)',
  CONFORMANCE_PROFILE: 'pr (default) or nightly',
  CONFORMANCE_MAX_RESPONSE_MS: 'Budget per response for max_response_time (default 2000, or the configuration file\'s)',
  CONFORMANCE_RPS: 'Requests per second of the whole run against the target, all workers together, split between shards (default 0 = none for the mock, 20 for a live target)',
  CONFORMANCE_BUDGET: 'Most requests the whole run sends (split between shards); cleanup is never refused (default: none)',
  CONFORMANCE_RUN_ID: 'Prefix naming everything the run creates (default ct-<random>)',
  CONFORMANCE_WORKERS: 'Playwright workers (default 2)',
  CONFORMANCE_REGRESSIONS_DIR: 'The regression corpus replayed first (default contracts/regressions); a run saves what it finds in its own directory',
  CONFORMANCE_REPORTS_DIR: 'Where runs write their reports, each in runs/<run id>/, the last named by latest (default reports)',
  CONFORMANCE_PROGRESS: 'What npm run conformance shows while it runs: 1 (its default) one line of progress, 0 a line per test',
  CONFORMANCE_ALLOW_OWNER_DELETE_PROBE: '1 = try to delete the owner organization (expects 403); only for disposable targets',
} as const;

export type Profile = 'pr' | 'nightly';

/** Settings the suite no longer reads, and what replaced them: named, not reported as unknown. */
const RETIRED: Record<string, string> = {
  POLYTOMIC_ORG_KEY:
    'POLYTOMIC_ORG_KEY is no longer read: organization-scoped credentials are built as Basic <organization id>:<partner key>, as the Terraform provider does, from POLYTOMIC_PARTNER_KEY; unset it',
};

/** Is this environment variable one of the suite's settings (or a misspelling of one)? */
export const isSuiteSetting = (name: string) => /^(POLYTOMIC|CONFORMANCE)_/.test(name);

/**
 * The environment without the suite's settings: what a command that starts the embedded mock
 * hands its children, so a live target's URL or keys exported in the shell never reach them.
 */
export function withoutSuiteSettings(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !isSuiteSetting(k)));
}

export interface RunConfig {
  baseUrl?: string;
  /** The keys the run is given, by name (src/model/keys.ts). */
  keys: Partial<Record<KeyName, string>>;
  /** The key the run's own requests are made with: the partner key, else the deployment key. */
  ownKey: KeyName;
  foreignPartnerKey?: string;
  ownerOrgId?: string;
  /** May the run try to delete the owner organization? Only on a disposable target (the embedded mock sets it). */
  ownerDeleteProbe: boolean;
  apiVersion: string;
  readOnly: boolean;
  specPath: string;
  contractsDir?: string;
  profile: Profile;
  seed: number;
  /** True when the seed was chosen at random (nightly) rather than given or fixed. */
  seedIsRandom: boolean;
  replayPath?: string;
  /** fast-check's replay path of a command sequence (the model run). */
  commandsPath?: string;
  /** Runs per property. */
  runs: number;
  /** The model-based run: how many sequences, of at most how many commands. */
  model: { runs: number; commands: number };
  /** The target profile's name (contracts/targets/<profile>.yaml). */
  profileName: string;
  /** The configuration file, as read (strictness; see effectiveConfig). */
  configFile: { file?: string; config: ConformanceConfig };
  /** Set when CONFORMANCE_MAX_RESPONSE_MS is. */
  maxResponseTimeMs?: number;
  rps: number;
  /** The run's request budget, if any. */
  budget?: number;
  runId: string;
  /** Playwright workers. */
  workers: number;
  /** Where runs write their reports (each in runs/<run id>/). */
  reportsDir?: string;
}

function int(env: NodeJS.ProcessEnv, name: keyof typeof SETTINGS, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) throw new UserError(`${name}=${raw} is not a whole number >= ${min}`);
  return Number(raw);
}

/** Reads and checks the environment; a mistake is a UserError naming the setting and the fix. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const known = new Set<string>(Object.keys(SETTINGS));
  for (const name of Object.keys(env)) {
    if (RETIRED[name] !== undefined) throw new UserError(RETIRED[name]);
    if (isSuiteSetting(name) && !known.has(name)) {
      throw new UserError(`unknown setting ${name}; known settings: ${Object.keys(SETTINGS).join(', ')}`);
    }
  }
  const profileRaw = env.CONFORMANCE_PROFILE || 'pr';
  if (profileRaw !== 'pr' && profileRaw !== 'nightly') throw new UserError(`CONFORMANCE_PROFILE=${profileRaw} is not one of: pr, nightly`);
  const profile: Profile = profileRaw;

  let baseUrl = env.POLYTOMIC_BASE_URL || undefined;
  if (baseUrl) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UserError(`POLYTOMIC_BASE_URL=${baseUrl} is not a URL; use e.g. https://staging.example.com`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`POLYTOMIC_BASE_URL must be http(s), got ${url.protocol}`);
    baseUrl = url.toString().replace(/\/$/, '');
  }
  const keys = Object.fromEntries(Object.entries(CONFIGURED_KEYS).flatMap(([name, setting]) => (env[setting] ? [[name, env[setting]]] : []))) as RunConfig['keys'];
  if (baseUrl && !Object.keys(keys).length) {
    throw new UserError('POLYTOMIC_PARTNER_KEY is not set; a live target needs a partner API key (export POLYTOMIC_PARTNER_KEY=...), or on-premises its deployment key (POLYTOMIC_DEPLOYMENT_KEY)');
  }
  const ownKey = (Object.keys(CONFIGURED_KEYS) as KeyName[]).find((k) => keys[k]) ?? 'partner';

  const seedGiven = env.CONFORMANCE_SEED !== undefined && env.CONFORMANCE_SEED !== '';
  const seed = seedGiven
    ? int(env, 'CONFORMANCE_SEED', 0, -(2 ** 31))
    : profile === 'nightly'
      ? randomBytes(4).readInt32LE()
      : 424242;
  const version = env.POLYTOMIC_API_VERSION || '2025-09-18';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) throw new UserError(`POLYTOMIC_API_VERSION=${version} is not a YYYY-MM-DD version`);
  if (env.CONFORMANCE_WORKERS && Number(env.CONFORMANCE_WORKERS) > 16) throw new UserError(`CONFORMANCE_WORKERS=${env.CONFORMANCE_WORKERS} is more workers than a run uses well; use 1 to 16`);
  const runId = env.CONFORMANCE_RUN_ID || `ct-${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9-]{3,24}$/.test(runId)) throw new UserError(`CONFORMANCE_RUN_ID=${runId} must be 3-24 of a-z, 0-9 and -`);
  const configFile = readConfigFile(env.CONFORMANCE_CONFIG || undefined);
  const profileName = env.CONFORMANCE_TARGET_PROFILE || configFile.config.profile || (baseUrl ? (ownKey === 'deployment' ? 'on-prem' : 'polytomic') : 'embedded');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(profileName)) throw new UserError(`CONFORMANCE_TARGET_PROFILE=${profileName} is not a profile name (a file in contracts/targets/ without .yaml)`);
  const readOnly = env.POLYTOMIC_READ_ONLY ?? '';
  if (!['', '0', '1', 'true', 'false'].includes(readOnly)) throw new UserError(`POLYTOMIC_READ_ONLY=${readOnly} must be 1 or 0`);

  return {
    baseUrl,
    keys,
    ownKey,
    foreignPartnerKey: env.POLYTOMIC_FOREIGN_PARTNER_KEY || undefined,
    ownerOrgId: env.POLYTOMIC_OWNER_ORG_ID || undefined,
    ownerDeleteProbe: env.CONFORMANCE_ALLOW_OWNER_DELETE_PROBE === '1',
    apiVersion: version,
    readOnly: readOnly === '1' || readOnly === 'true',
    specPath: env.CONFORMANCE_SPEC || DEFAULT_SPEC,
    contractsDir: env.CONFORMANCE_CONTRACTS_DIR || undefined,
    profile,
    seed,
    seedIsRandom: !seedGiven && profile === 'nightly',
    replayPath: env.CONFORMANCE_PATH ? expandPath(env.CONFORMANCE_PATH, 'CONFORMANCE_PATH') : undefined,
    commandsPath: env.CONFORMANCE_COMMANDS_PATH || undefined,
    runs: int(env, 'CONFORMANCE_RUNS', profile === 'nightly' ? 300 : 25, 1),
    model: profile === 'nightly' ? { runs: 60, commands: 40 } : { runs: 8, commands: 12 },
    profileName,
    configFile,
    maxResponseTimeMs: env.CONFORMANCE_MAX_RESPONSE_MS ? int(env, 'CONFORMANCE_MAX_RESPONSE_MS', 2000, 1) : undefined,
    // No URL: the embedded mock, which the global setup starts and points the workers at without a cap.
    rps: int(env, 'CONFORMANCE_RPS', baseUrl ? 20 : 0),
    budget: env.CONFORMANCE_BUDGET ? int(env, 'CONFORMANCE_BUDGET', 0, 1) : undefined,
    runId,
    workers: int(env, 'CONFORMANCE_WORKERS', 2, 1),
    reportsDir: env.CONFORMANCE_REPORTS_DIR || undefined,
  };
}

/**
 * The strictness a run applies: built-in defaults, then the target profile's `checks` and
 * `drift`, then the configuration file, then the environment.
 */
export function effectiveConfig(cfg: Pick<RunConfig, 'configFile' | 'maxResponseTimeMs'>, profile: TargetProfile): EffectiveConfig {
  const file = cfg.configFile.config;
  const checks: EffectiveConfig['checks'] = {};
  for (const source of [profile.checks, file.checks ?? {}]) {
    for (const [id, c] of Object.entries(source)) checks[id] = { ...checks[id], ...c, operations: { ...checks[id]?.operations, ...c.operations } };
  }
  return {
    file: cfg.configFile.file,
    profile: profile.name,
    maxResponseTimeMs: cfg.maxResponseTimeMs ?? file.maxResponseTimeMs ?? 2000,
    checks,
    drift: {
      policy: { ...DEFAULT_DRIFT_POLICY, ...profile.drift?.policy, ...file.drift?.policy },
      infrastructureHeaders: file.drift?.infrastructureHeaders ?? profile.drift?.infrastructureHeaders ?? INFRASTRUCTURE_HEADERS,
    },
  };
}
