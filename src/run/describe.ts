import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runPaths } from './report/paths';
import { configMistakes } from '../checks/registry';
import { effectiveConfig, type RunConfig } from '../model/config';
import type { EffectiveConfig } from '../model/config-file';
import { loadContracts } from '../model/contracts';
import { UserError } from '../model/errors';
import { loadSpec } from '../model/spec/load';
import { assertNamesKnown } from '../model/spec/names';


/**
 * Loads what a run will apply (contracts, target profile, configuration) and checks it: a check id
 * the suite does not have is a mistake, named with what was probably meant; so is a question or
 * invariant the spec names that the contracts lack.
 */
export function effectiveFor(cfg: RunConfig): EffectiveConfig {
  const contracts = loadContracts(cfg.contractsDir, cfg.profileName);
  assertNamesKnown(loadSpec(cfg.specPath), contracts);
  const effective = effectiveConfig(cfg, contracts.profile);
  const [mistake] = configMistakes(effective);
  if (mistake) throw new UserError(mistake.replace(/^\S+/, (at) => `${at} (in ${effective.file ?? `profile ${cfg.profileName}`})`));
  return effective;
}

/**
 * The one line a run starts with, and the effective configuration written beside the report, so
 * a reader knows what the verdicts rest on.
 */
export function announceRun(cfg: RunConfig, target: string): string {
  const effective = effectiveFor(cfg);
  const { profile } = loadContracts(cfg.contractsDir, cfg.profileName);
  const file = runPaths(cfg.runId, { CONFORMANCE_REPORTS_DIR: cfg.reportsDir }).effectiveConfig;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ target, profile: { name: profile.name, describes: profile.describes, answers: Object.fromEntries(profile.all().map(([q, e]) => [q, { accept: e.accept, basis: e.basis.kind }])) }, runProfile: cfg.profile, seed: cfg.seed, config: effective }, null, 2)}\n`,
  );
  return `conformance: target ${target}, target profile ${profile.name} (contracts/targets/${profile.name}.yaml), config ${effective.file ?? 'defaults'}, run profile ${cfg.profile}, seed ${cfg.seed}, run id ${cfg.runId}`;
}
