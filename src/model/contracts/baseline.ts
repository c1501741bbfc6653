import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from '../text';
import { readCheckedYaml } from '../yaml-file';
import { BASELINE_SCHEMA } from './schema';

/** A known piece of drift: reported, but not failing the run until it expires. */
export interface BaselineEntry {
  key: string;
  owner: string;
  reason: string;
  /** YYYY-MM-DD; from that day on the drift fails the run again. */
  expires: string;
}

export type DriftStatus = 'new' | 'known' | 'expired';

/**
 * A key is a drift key (`<operation id> 200 undeclared_field /data/name`), or a pattern where
 * `*` stands for any run of characters: `<prefix>_* 200 undeclared_field /data/name` covers every
 * operation whose id starts so, `<operation id> *` everything drifting in one operation.
 */
export class Baseline {
  private readonly byKey: Map<string, BaselineEntry>;
  private readonly patterns: { re: RegExp; entry: BaselineEntry }[];

  constructor(
    readonly entries: BaselineEntry[],
    private readonly today = new Date().toISOString().slice(0, 10),
  ) {
    this.byKey = new Map(entries.filter((e) => !e.key.includes('*')).map((e) => [e.key.trim(), e]));
    this.patterns = entries
      .filter((e) => e.key.includes('*'))
      .map((entry) => ({ entry, re: globToRegExp(entry.key.trim()) }));
  }

  /** The entry covering a drift key: an exact one first, then the first pattern that matches. */
  entry(key: string): BaselineEntry | undefined {
    return this.byKey.get(key) ?? this.patterns.find((p) => p.re.test(key))?.entry;
  }

  status(key: string): DriftStatus {
    const e = this.entry(key);
    if (!e) return 'new';
    return e.expires <= this.today ? 'expired' : 'known';
  }
}

/** contracts/drift-baseline.yaml: `entries: [{key, owner, reason, expires}]`. A missing file is an empty baseline. */
export function loadBaseline(dir: string): Baseline {
  const file = join(dir, 'drift-baseline.yaml');
  if (!existsSync(file)) return new Baseline([]);
  return new Baseline(readCheckedYaml<{ entries: BaselineEntry[] }>(file, BASELINE_SCHEMA, 'drift baseline').entries);
}
