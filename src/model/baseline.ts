import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from './errors';

/** A known piece of drift: reported, but not failing the run until it expires. */
export interface BaselineEntry {
  key: string;
  owner: string;
  reason: string;
  /** YYYY-MM-DD; from that day on the drift fails the run again. */
  expires: string;
}

export type DriftStatus = 'new' | 'known' | 'expired';

export class Baseline {
  private readonly byKey: Map<string, BaselineEntry>;

  constructor(readonly entries: BaselineEntry[], private readonly today = new Date().toISOString().slice(0, 10)) {
    this.byKey = new Map(entries.map((e) => [e.key, e]));
  }

  entry(key: string): BaselineEntry | undefined {
    return this.byKey.get(key);
  }

  status(key: string): DriftStatus {
    const e = this.byKey.get(key);
    if (!e) return 'new';
    return e.expires <= this.today ? 'expired' : 'known';
  }
}

/** contracts/drift-baseline.yaml: `entries: [{key, owner, reason, expires}]`. A missing file is an empty baseline. */
export function loadBaseline(dir: string): Baseline {
  const file = join(dir, 'drift-baseline.yaml');
  if (!existsSync(file)) return new Baseline([]);
  let doc: any;
  try {
    doc = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (e: any) {
    throw new UserError(`${file} is not valid YAML: ${String(e.message).split('\n')[0]}`);
  }
  const entries: BaselineEntry[] = doc.entries ?? [];
  if (!Array.isArray(entries)) throw new UserError(`${file}: "entries" must be a list`);
  entries.forEach((e, i) => {
    for (const field of ['key', 'owner', 'reason', 'expires'] as const) {
      if (typeof e?.[field] !== 'string' || !e[field]) throw new UserError(`${file}: entry ${i + 1} needs a "${field}" (key, owner, reason and expiry date are required)`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.expires)) throw new UserError(`${file}: entry ${i + 1} expires "${e.expires}" is not YYYY-MM-DD`);
  });
  return new Baseline(entries);
}
