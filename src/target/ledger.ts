import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialRef } from './credentials';
import { markerText } from './names';

/** An instance the run created, and the request that deletes it. */
export interface CreatedEntry {
  kind: string;
  id: string;
  /** Concrete DELETE path, e.g. `/api/organizations/<org>/users/<id>`. */
  deletePath: string;
  /** The credential that may delete it (rebuilt from the partner key). */
  credential: CredentialRef;
  /** The run's marker it carries, when it was created with one. */
  marker?: string;
  /** Concrete GET paths that read it and list where it lives: a deletion is proven by a read. */
  readPath?: string;
  listPath?: string;
  /** The id of the instance it lives in: proven gone with it. */
  within?: string;
}

/**
 * A create about to be sent: recorded before the request leaves, so an instance whose answer
 * never arrived (a crash, a timeout, an interrupt) is still found, by its marker.
 */
export interface IntentEntry {
  kind: string;
  /** The run's unique name the instance will carry (a prefix of its marker field). */
  marker: string;
  markerField: string;
  /** Where it will be listed, and the credential that lists and deletes it. */
  listPath: string;
  credential: CredentialRef;
  /** DELETE path with `{id}` standing for the instance's id. */
  deleteTemplate: string;
}

type LedgerRecord =
  | ({ op: 'intent' } & IntentEntry)
  | ({ op: 'created' } & CreatedEntry)
  | { op: 'deleted'; deletePath: string }
  | { op: 'settled'; marker: string };

export interface Pending {
  /** Live instances, newest first: the order to delete them in. */
  created: CreatedEntry[];
  /** Creates whose outcome never arrived. */
  intents: IntentEntry[];
}

export const LEDGER_DIR = join(process.cwd(), 'reports', 'ledger');

/** Folds ledger records into what is still live. */
class State {
  readonly created = new Map<string, CreatedEntry>();
  readonly intents = new Map<string, IntentEntry>();

  apply(rec: LedgerRecord): boolean {
    switch (rec.op) {
      case 'intent': {
        const { op: _op, ...entry } = rec;
        this.intents.set(entry.marker, entry);
        return true;
      }
      case 'created': {
        const { op: _op, ...entry } = rec;
        if (entry.marker) this.intents.delete(entry.marker);
        // A replayed answer names what an earlier one created: it is recorded once.
        if (this.created.has(entry.deletePath)) return false;
        this.created.set(entry.deletePath, entry);
        return true;
      }
      case 'deleted':
        return this.created.delete(rec.deletePath);
      case 'settled':
        return this.intents.delete(rec.marker);
    }
  }

  pending(): Pending {
    return { created: [...this.created.values()].reverse(), intents: [...this.intents.values()] };
  }
}

/**
 * An append-only record, one file per run and worker, of everything the run is creating, created
 * and deleted again. Each intent is appended before its create is sent, so a crash or an
 * interrupt leaves a ledger that global teardown (or `npm run sweep`) can finish.
 */
export class Ledger {
  private readonly file: string;
  private readonly state = new State();

  constructor(runId: string, worker: string) {
    mkdirSync(LEDGER_DIR, { recursive: true });
    this.file = join(LEDGER_DIR, `${runId}.${worker}.jsonl`);
  }

  private append(rec: LedgerRecord): void {
    if (this.state.apply(rec)) appendFileSync(this.file, `${JSON.stringify(rec)}\n`);
  }

  intend(entry: IntentEntry): void {
    this.append({ op: 'intent', ...entry });
  }

  /** The create's answer arrived and made nothing. */
  settled(marker: string): void {
    this.append({ op: 'settled', marker });
  }

  /** Records an instance; false when it was recorded already. */
  created(entry: CreatedEntry): boolean {
    const known = this.state.created.has(entry.deletePath);
    this.append({ op: 'created', ...entry });
    return !known;
  }

  deleted(deletePath: string): void {
    this.append({ op: 'deleted', deletePath });
  }

  pending(): Pending {
    return this.state.pending();
  }
}

/** Removes a run's ledgers: for a target that is gone with everything on it (an embedded mock that stopped). */
export function removeLedgers(runId: string): void {
  try {
    for (const f of readdirSync(LEDGER_DIR)) if (f.startsWith(`${runId}.`) && f.endsWith('.jsonl')) rmSync(join(LEDGER_DIR, f), { force: true });
  } catch {
    // No ledger directory: nothing to remove.
  }
}

/**
 * A run in progress on this machine says so (`<run id>.live`, with its process id) from its start
 * to its teardown: `npm run sweep` leaves what its ledgers hold, and everything named for it, alone.
 */
export function markLive(runId: string): () => void {
  mkdirSync(LEDGER_DIR, { recursive: true });
  const file = join(LEDGER_DIR, `${runId}.live`);
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

/** The runs in progress on this machine (a run killed outright leaves a file whose process is gone: not live). */
export function liveRuns(): Set<string> {
  const out = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(LEDGER_DIR).filter((f) => f.endsWith('.live'));
  } catch {
    return out;
  }
  for (const f of files) {
    try {
      process.kill(Number(readFileSync(join(LEDGER_DIR, f), 'utf8')), 0);
      out.add(f.slice(0, -'.live'.length));
    } catch (e) {
      // EPERM: alive, another user's.
      if ((e as NodeJS.ErrnoException).code === 'EPERM') out.add(f.slice(0, -'.live'.length));
    }
  }
  return out;
}

/** What the ledgers of one run still hold (for teardown and sweep). */
export function pendingForRun(runId: string): Pending {
  let files: string[];
  try {
    files = readdirSync(LEDGER_DIR).filter((f) => f.startsWith(`${runId}.`) && f.endsWith('.jsonl'));
  } catch {
    return { created: [], intents: [] };
  }
  const records: LedgerRecord[] = files.flatMap((f) =>
    readFileSync(join(LEDGER_DIR, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  );
  const state = new State();
  for (const rec of records) state.apply(rec);
  // The files are read one after another, not in the order they were written: what any of them
  // settled or deleted (teardown's own ledger, read before a worker's) is settled or deleted.
  const resolved = new Set(records.flatMap((r) => (r.op === 'settled' || (r.op === 'created' && r.marker) ? [r.marker] : [])));
  const deleted = new Set(records.flatMap((r) => (r.op === 'deleted' ? [r.deletePath] : [])));
  const { created, intents } = state.pending();
  return { created: created.filter((e) => !deleted.has(e.deletePath)), intents: intents.filter((i) => !resolved.has(i.marker)) };
}

/** Does a value carry a marker: starts with it, and the marker does not run on into more of a name (`org7` is not `org71`)? */
export function carriesMarker(value: unknown, marker: string): boolean {
  if (typeof value !== 'string') return false;
  const v = markerText(value).toLowerCase();
  const m = marker.toLowerCase();
  return v.startsWith(m) && !/[0-9a-z]/.test(v.charAt(m.length));
}
