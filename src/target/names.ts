/**
 * The names a run gives what it creates: `<run id>-<stamp>-w<worker>-<kind><n>` (an email puts
 * it before the `@`, a URL first in its path). The stamp is the minute the name was made (minutes since 1970, base 36):
 * `npm run sweep` deletes only what is older than a set age, so it never races a run in progress
 * on another machine.
 */

export const stampOf = (at: number) => Math.floor(at / 60_000).toString(36);

export function runName(runId: string, worker: string, kind: string, n: number, at = Date.now()): string {
  return `${runId}-${stampOf(at)}-w${worker}-${kind}${n}`;
}

const PATTERN = /^([a-z0-9-]{3,24}?)-([0-9a-z]{5,7})-w([0-9a-z]+)-([a-z]{1,12})(\d+)(?=$|[-.@])/i;

export interface RunNameParts {
  runId: string;
  /** When the name was made (ms since 1970). */
  madeAt: number;
}

const URL_PATH = /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/(.*)$/i;

/**
 * Where a field's value carries the run's name: at its start, or, in a URL (a field whose format
 * is a URI: the run puts its name first in the path, where every server keeps it), first in the path.
 */
export function markerText(value: string): string {
  return URL_PATH.exec(value)?.[1] ?? value;
}

/** The run's name a value starts with (what a server must keep of it, whatever it does with the rest), or undefined. */
export function runNameIn(value: unknown): string | undefined {
  return typeof value === 'string' ? PATTERN.exec(markerText(value))?.[0] : undefined;
}

/** A run's name at the start of `value`, or undefined (anything else, never ours to touch). */
export function parseRunName(value: string, now = Date.now()): RunNameParts | undefined {
  const m = PATTERN.exec(markerText(value));
  if (!m) return undefined;
  const madeAt = parseInt(m[2], 36) * 60_000;
  // A stamp from the future, or from before this suite existed, is a name that merely looks like ours.
  if (madeAt > now + 60 * 60_000 || madeAt < Date.UTC(2024, 0, 1)) return undefined;
  return { runId: m[1].toLowerCase(), madeAt };
}
