import { loadSpec } from '../../model/spec/load';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadContracts } from '../../model/contracts';
import { unjudged } from '../calibrate/unjudged';
import type { Verdicts } from './defects';
import { isDerivedFile } from './allure-globals';
import { isInputsFile, readInputs, writeRunReports, writeVerdictReports } from './derived';
import type { DriftReport } from './drift';
import type { CoverageReport } from '../coverage/report';

const rank: Record<string, number> = { failed: 0, broken: 1, passed: 2, skipped: 3, unknown: 4 };

export interface Merged {
  results: number;
  dropped: number;
  /** Recomputed from every shard's observations, where the shards kept them. */
  drift?: DriftReport;
  coverage?: CoverageReport;
  verdicts?: Verdicts;
}

/**
 * Merges the Allure results of several shards into one directory. Every test ran in exactly one
 * shard, so its result is copied (a result twice, by history id, keeps the worst status). Drift,
 * coverage and defects describe the whole run: they are recomputed from all the shards'
 * observations and written to `reportsDir` and the merged results, each shard's own dropped.
 */
export function mergeResults(dirs: string[], out: string, reportsDir = 'reports'): Merged {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const inputs = readInputs(dirs);
  const best = new Map<string, { file: string; dir: string; status: string }>();
  let dropped = 0;
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
      // Each shard's drift, coverage and defects: the whole run's are written below.
      if (isInputsFile(file) || (inputs.found && isDerivedFile(file))) continue;
      if (!file.endsWith('-result.json')) {
        copyFileSync(join(dir, file), join(out, file));
        continue;
      }
      const r = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const key = r.historyId ?? r.uuid;
      const prev = best.get(key);
      if (!prev || (rank[r.status] ?? 4) < (rank[prev.status] ?? 4)) {
        if (prev) dropped++;
        best.set(key, { file, dir, status: r.status });
      } else dropped++;
    }
  }
  for (const { file, dir } of best.values()) copyFileSync(join(dir, file), join(out, file));
  const merged: Merged = { results: best.size, dropped };
  if (inputs.runs.length) Object.assign(merged, writeRunReports(inputs.runs, reportsDir, out));
  const first = inputs.runs[0];
  if (inputs.found) merged.verdicts = writeVerdictReports(inputs.tests, reportsDir, out, basename(reportsDir), first ? unjudged(loadContracts(first.contracts, first.profile), loadSpec(first.spec)) : undefined);
  return merged;
}
