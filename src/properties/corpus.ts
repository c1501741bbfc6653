import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { secrets } from '../http/redact';
import type { PropertyOutcome } from './runner';

/** A failure found once, kept so every later run replays it first. */
export interface Regression {
  /** The Playwright title filter of the test that found it. */
  test: string;
  seed: number;
  path: string;
  checks: string[];
  counterexample: string;
  found: string;
}

export const CORPUS_DIR = process.env.CONFORMANCE_REGRESSIONS_DIR ? resolve(process.env.CONFORMANCE_REGRESSIONS_DIR) : resolve(__dirname, '../../contracts/regressions');

export function regressionsFor(testTitle: string, dir = CORPUS_DIR): Regression[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Regression).filter((r) => r.test === testTitle);
}

/** Saves a property's shrunk counterexample as a replayable case (once per test, seed and path). */
export function saveRegression(testTitle: string, outcome: PropertyOutcome, dir = CORPUS_DIR): string | undefined {
  const f = outcome.failure;
  if (!f?.replay.path) return undefined;
  const entry: Regression = {
    test: testTitle,
    seed: f.replay.seed,
    path: f.replay.path,
    checks: [...new Set(f.recorded.flatMap((r) => r.findings.map((x) => x.check)))],
    counterexample: secrets.redactText(f.counterexample),
    found: new Date().toISOString().slice(0, 10),
  };
  const id = createHash('sha1').update(`${entry.test}|${entry.seed}|${entry.path}`).digest('hex').slice(0, 12);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify(entry, null, 2) + '\n');
  return file;
}
