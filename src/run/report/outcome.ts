import { existsSync, readFileSync } from 'node:fs';

/** The name of the attachment a failed conformance test carries what went wrong in, besides defects. */
export const OUTCOME_ATTACHMENT = 'outcome (json)';

/** What went wrong in a test that is not a defect: a setup the target refused, errors of the suite. */
export interface TestOutcome {
  refused?: { message: string; operation?: string; status?: number; request?: string; curl?: string };
  errors: string[];
}

/** A test's outcome attachment, as a reporter reads it. */
export function outcomeIn(attachments: readonly { name: string; body?: Buffer; path?: string }[]): TestOutcome | undefined {
  const a = attachments.find((x) => x.name === OUTCOME_ATTACHMENT);
  const text = a?.body ? a.body.toString('utf8') : a?.path && existsSync(a.path) ? readFileSync(a.path, 'utf8') : undefined;
  return text ? (JSON.parse(text) as TestOutcome) : undefined;
}
