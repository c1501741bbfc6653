import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const rank: Record<string, number> = { failed: 0, broken: 1, passed: 2, skipped: 3, unknown: 4 };

/**
 * Merges the Allure results of several shards into one directory. Every test ran in exactly one
 * shard; the drift suite is written by each shard, so results sharing a history id are kept once
 * (the worst status wins). Attachments are copied as they are.
 */
export function mergeResults(dirs: string[], out: string): { results: number; dropped: number } {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const best = new Map<string, { file: string; dir: string; status: string }>();
  let dropped = 0;
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
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
  return { results: best.size, dropped };
}
