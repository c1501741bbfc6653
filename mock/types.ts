/** Types the mock's layers share: who is calling, what a handler returns, what goes on the wire. */

/**
 * Who is calling, by the credential kind the spec names: a partner's own key (its partner key, or
 * on-premises its deployment key), a user's key, or one of those keys scoped to an organization.
 */
export type Principal =
  | { kind: 'partner' | 'deployment'; partnerId: string }
  | { kind: 'user'; orgId: string; userId: string }
  | { kind: 'org_basic' | 'deployment_org'; orgId: string };

/** A principal acting for a whole partner (or deployment), in no one organization. */
export const partnerLevel = (p: Principal): p is Extract<Principal, { partnerId: string }> => 'partnerId' in p;

/** An error answer: its status, the ApiError `key`, a message, and what the rendering needs. */
export class MockError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    message: string,
    readonly extra: { allow?: string; retryAfter?: number; issues?: unknown[] } = {},
  ) {
    super(message);
  }
}

/** What a handler answers, before rendering. */
export interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What goes on the wire. */
export interface Sent {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type Json = Record<string, unknown>;

/** A hook's refusal becomes the answer: thrown, for the pipeline to render. */
export function must<T>(v: T | MockError): T {
  if (v instanceof MockError) throw v;
  return v;
}

/** A hook's refusal, if it gave one, becomes the answer. */
export function refuse(e: MockError | undefined): void {
  if (e) throw e;
}
