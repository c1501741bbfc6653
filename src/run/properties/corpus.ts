import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { messageOf, UserError } from '../../model/errors';
import { secrets } from '../../target/redact';
import type { PropertyOutcome } from './runner';
import type { Draft } from '../generation/requests';
import { projectPath } from '../../model/paths';

/** A failure found once, kept so every later run replays it first. */
export interface Regression {
  /** The Playwright title filter of the test that found it. */
  test: string;
  seed: number;
  path: string;
  checks: string[];
  counterexample: string;
  /** The shrunk request itself (an operation property's draft): what a replay sends. */
  request?: Draft;
  found: string;
  /** Where it was read from (not stored). */
  file?: string;
}

/** The corpus every run replays first: reviewed failures, promoted from a run's own (`npm run regressions -- promote`). */
export const CORPUS_DIR = process.env.CONFORMANCE_REGRESSIONS_DIR ? resolve(process.env.CONFORMANCE_REGRESSIONS_DIR) : projectPath('contracts/regressions');

export function regressionsFor(testTitle: string, dir = CORPUS_DIR): Regression[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => ({ ...read(join(dir, f)), file: join(dir, f) })).filter((r) => r.test === testTitle);
}

function read(file: string): Regression {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`regression corpus file ${file} is not valid JSON (${messageOf(e)}); fix it or delete it`);
  }
}

const isDraft = (v: unknown): v is Draft => !!v && typeof v === 'object' && 'query' in v && 'headers' in v;

/**
 * Saves a property's shrunk counterexample as a replayable case (once per test, seed and path).
 * Refused, returning undefined: one that did not fail again when replayed alone (its replay would
 * not replay it), and one with no finding (nothing for a later run to look for).
 */
export function saveRegression(testTitle: string, outcome: PropertyOutcome, dir: string): string | undefined {
  const f = outcome.failure;
  if (!f?.replay.path || !f.alone || !f.recorded.some((r) => r.findings.length)) return undefined;
  const entry: Regression = {
    test: testTitle,
    seed: f.replay.seed,
    path: f.replay.path,
    checks: [...new Set(f.recorded.flatMap((r) => r.findings.map((x) => x.check)))],
    counterexample: secrets.redactText(f.counterexample),
    ...(isDraft(f.value) ? { request: JSON.parse(secrets.redactText(JSON.stringify(f.value))) as Draft } : {}),
    found: new Date().toISOString().slice(0, 10),
  };
  const id = createHash('sha1').update(`${entry.test}|${entry.seed}|${entry.path}`).digest('hex').slice(0, 12);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  // Written aside and renamed into place: runs and shards sharing the corpus read it while others
  // save, and a half-written file would break them.
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(entry, null, 2)}\n`);
  renameSync(aside, file);
  return file;
}
