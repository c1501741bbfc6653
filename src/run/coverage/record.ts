import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from '../../checks/types';
import { keywordsMet } from '../../model/spec/keywords';
import { matchPath, type Spec } from '../../model/spec/load';
import type { Validators } from '../../model/validators';

export const COVERAGE_DIR = join(process.cwd(), 'reports', 'coverage');

/** What one worker's requests exercised of one operation. */
export interface OperationInputs {
  requests: number;
  /** Parameter (`query:force`) -> value sent -> how often. */
  params: Record<string, Record<string, number>>;
  /** Keyword location -> [inputs that satisfied it, inputs that violated it]. */
  keywords: Record<string, [number, number]>;
  /** Request and response content types. */
  requestTypes: Record<string, number>;
  responseTypes: Record<string, number>;
}

/** One worker's coverage observations: per operation, and the sequences of operations each test made (flows). */
export interface CoverageObservations {
  operations: Record<string, OperationInputs>;
  flows: string[][];
}

/** The value at `key`, made with `init` the first time. */
export function slot<T>(map: Record<string, T>, key: string, init: () => T): T {
  if (!(key in map)) map[key] = init();
  return map[key];
}

const mediaType = (v: string | undefined) => (v ? v.split(';')[0].trim().toLowerCase() : 'none');

/**
 * Records, for the coverage report, what each exchange exercised of the spec's inputs: the
 * parameters and values sent, every schema keyword each input met (satisfied or violated), the
 * content types; and, test by test, the flow of operations. Responses (statuses, properties) are
 * the drift recorder's; the report joins both.
 */
export class CoverageRecorder {
  private readonly ops = new Map<string, OperationInputs>();
  private readonly flows: string[][] = [];
  private flow: string[] = [];

  constructor(
    private readonly spec: Spec,
    private readonly validators: Validators,
  ) {}

  /** A new test starts: the operations it calls are a flow of their own. */
  breakFlow(): void {
    if (this.flow.length > 1) this.flows.push(this.flow);
    this.flow = [];
  }

  record(ex: Exchange): void {
    const op = ex.operation;
    if (!op) return;
    if (this.flow.at(-1) !== op.id) this.flow.push(op.id);
    let o = this.ops.get(op.id);
    if (!o) {
      o = { requests: 0, params: {}, keywords: {}, requestTypes: {}, responseTypes: {} };
      this.ops.set(op.id, o);
    }
    o.requests++;
    const { request, response } = ex;
    const bump = (m: Record<string, number>, k: string) => {
      m[k] = (m[k] ?? 0) + 1;
    };
    const keywords = (pointer: string, value: unknown) => {
      const violated = new Set(this.validators.check(pointer, value).map((i) => i.schemaLocation).filter(Boolean));
      for (const loc of keywordsMet(this.spec.doc, pointer, value)) {
        slot(o!.keywords, loc, () => [0, 0])[violated.has(loc) ? 1 : 0]++;
      }
    };
    const pathParams = matchPath(this.spec, request.path)?.params ?? {};
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const p of op.params) {
      const raw = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? request.query?.[p.name] : headers[p.name.toLowerCase()];
      if (raw === undefined) continue;
      const params = slot(o.params, `${p.in}:${p.name}`, (): Record<string, number> => ({}));
      // Values are counted where they are few (enums, booleans); other values only as sent at all.
      const few = Array.isArray(p.schema?.enum) || p.schema?.type === 'boolean';
      bump(params, few ? raw : '(any)');
      keywords(p.schemaPointer, p.schema?.type === 'boolean' && /^(true|false)$/.test(raw) ? raw === 'true' : raw);
    }
    if (op.requestBody && (request.body !== undefined || request.rawBody !== undefined)) {
      bump(o.requestTypes, mediaType(headers['content-type']));
      if (request.body !== undefined) keywords(op.requestBody.schemaPointer, request.body);
    }
    bump(o.responseTypes, `${response.status} ${mediaType(response.headers['content-type'])}`);
  }

  snapshot(): CoverageObservations {
    const flows = [...this.flows, ...(this.flow.length > 1 ? [this.flow] : [])];
    return { operations: Object.fromEntries(this.ops), flows };
  }

  flush(runId: string, worker: string): void {
    mkdirSync(COVERAGE_DIR, { recursive: true });
    writeFileSync(join(COVERAGE_DIR, `${runId}.${worker}.json`), JSON.stringify(this.snapshot()));
  }
}

/** Every worker's coverage observations of one run (or of several, from shard directories). */
export function readCoverage(runId: string, dir = COVERAGE_DIR): CoverageObservations[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(`${runId}.`) && f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}
