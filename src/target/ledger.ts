import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A resource the run created, and the request that deletes it. */
export interface LedgerEntry {
  kind: 'organization' | 'user';
  id: string;
  /** Concrete DELETE path, e.g. `/api/organizations/<org>/users/<id>`. */
  deletePath: string;
  /** Env var of the credential that may delete it. */
  credential: 'partner';
}

export const LEDGER_DIR = join(process.cwd(), 'reports', 'ledger');

/**
 * An append-only record, one file per run and worker, of everything the run created and what it
 * already deleted. Appending before the create returns means a crash or an interrupt leaves a
 * ledger that global teardown (or `npm run sweep`) can finish.
 */
export class Ledger {
  private readonly file: string;
  private readonly live = new Map<string, LedgerEntry>();

  constructor(runId: string, worker: string) {
    mkdirSync(LEDGER_DIR, { recursive: true });
    this.file = join(LEDGER_DIR, `${runId}.${worker}.jsonl`);
  }

  created(entry: LedgerEntry): void {
    this.live.set(entry.deletePath, entry);
    appendFileSync(this.file, `${JSON.stringify({ op: 'created', ...entry })}\n`);
  }

  deleted(deletePath: string): void {
    if (!this.live.delete(deletePath)) return;
    appendFileSync(this.file, `${JSON.stringify({ op: 'deleted', deletePath })}\n`);
  }

  /** Live entries, newest first: the order to delete them in. */
  pending(): LedgerEntry[] {
    return [...this.live.values()].reverse();
  }
}

/** What the ledgers of one run still hold, newest first (for teardown and sweep). */
export function pendingForRun(runId: string): LedgerEntry[] {
  let files: string[];
  try {
    files = readdirSync(LEDGER_DIR).filter((f) => f.startsWith(`${runId}.`) && f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const live = new Map<string, LedgerEntry>();
  for (const f of files) {
    for (const line of readFileSync(join(LEDGER_DIR, f), 'utf8').split('\n')) {
      if (!line) continue;
      const rec = JSON.parse(line);
      if (rec.op === 'created') {
        const { op: _op, ...entry } = rec;
        live.set(rec.deletePath, entry);
      } else live.delete(rec.deletePath);
    }
  }
  return [...live.values()].reverse();
}
