/**
 * A mistake the user can fix (bad URL, missing key, broken spec, unknown option). CLIs print
 * `message` as one line and exit non-zero; never a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
