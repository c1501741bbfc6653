import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from '../types';
import { redactJson } from '../../target/redact';
import { type DriftItem, type DriftSpec, type HeaderFilter, observeDrift, presentFields } from './observe';

export const DRIFT_DIR = join(process.cwd(), 'reports', 'drift');

/** What one worker saw: drift items (first example each) and, per operation, statuses and fields. */
export interface Observations {
  drift: (DriftItem & { count: number })[];
  seen: Record<string, Record<string, string[]>>;
  /** Requests the worker sent (setup and cleanup included). */
  requests: number;
}

/**
 * Collects, for the drift report, everything the run's exchanges showed: drift (known or not)
 * and spec coverage. One file per worker, merged in global teardown.
 */
/**
 * Of two observations of one drift, the example (and the patch made from it) a report shows: the
 * smaller, so that it is the same whatever order the tests, workers or shards met them in.
 */
export function keepSmallerExample(kept: DriftItem, other: Pick<DriftItem, 'example' | 'patch'>): void {
  if (JSON.stringify(other.example) < JSON.stringify(kept.example)) Object.assign(kept, { example: other.example, patch: other.patch });
}

export class DriftRecorder {
  constructor(private readonly infrastructure: HeaderFilter) {}

  private readonly drift = new Map<string, DriftItem & { count: number }>();
  private readonly seen = new Map<string, Map<string, Set<string>>>();

  record(ex: Exchange, spec: DriftSpec): void {
    if (!ex.operation) return;
    for (const item of observeDrift(ex, spec, this.infrastructure)) {
      const known = this.drift.get(item.key);
      if (!known) this.drift.set(item.key, { ...item, example: redactJson(item.example), count: 1 });
      else {
        known.count++;
        keepSmallerExample(known, { ...item, example: redactJson(item.example) });
      }
    }
    const byStatus = this.seen.get(ex.operation.id) ?? new Map<string, Set<string>>();
    this.seen.set(ex.operation.id, byStatus);
    const fields = byStatus.get(String(ex.response.status)) ?? new Set<string>();
    byStatus.set(String(ex.response.status), fields);
    for (const f of presentFields(ex.response.json)) fields.add(f);
  }

  snapshot(requests = 0): Observations {
    const seen: Observations['seen'] = {};
    for (const [op, byStatus] of this.seen) seen[op] = Object.fromEntries([...byStatus].map(([s, f]) => [s, [...f]]));
    return { drift: [...this.drift.values()], seen, requests };
  }

  flush(runId: string, worker: string, requests: number): void {
    mkdirSync(DRIFT_DIR, { recursive: true });
    appendFileSync(join(DRIFT_DIR, `${runId}.${worker}.jsonl`), `${JSON.stringify(this.snapshot(requests))}\n`);
  }
}

/** Every worker's observations of one run. */
export function readObservations(runId: string): Observations[] {
  let files: string[] = [];
  try {
    files = readdirSync(DRIFT_DIR).filter((f) => f.startsWith(`${runId}.`));
  } catch {
    return [];
  }
  return files.flatMap((f) => readFileSync(join(DRIFT_DIR, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}
