import { escapeToken } from '../model/spec/pointer';
import type { CheckContext, Exchange } from './types';

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** `application/json`, `application/problem+json`, with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/** The documented response for the exchange's status, if any (exact code, then `4XX`-style, then default). */
export function documentedResponse(ex: Exchange) {
  const responses = ex.operation?.responses;
  if (!responses) return undefined;
  const s = String(ex.response.status);
  return responses.get(s) ?? responses.get(`${s[0]}XX`) ?? responses.get('default');
}

/** Walks a JSON value, calling `visit(key, value, pointer)` for every object member. */
export function walkMembers(value: unknown, visit: (key: string, v: unknown, pointer: string) => void, pointer = ''): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkMembers(v, visit, `${pointer}/${i}`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = `${pointer}/${escapeToken(k)}`;
      visit(k, v, p);
      walkMembers(v, visit, p);
    }
  }
}

/** The open questions an exchange's request puts to the server (the answer is its status). */
export function questionsAsked(ex: Exchange): string[] {
  const i = ex.intent;
  if (i.kind === 'negative') return [i.rejectedAs, i.assumption].filter((q): q is string => q !== undefined);
  if (i.kind === 'not_found') return ['not_found_status'];
  if (i.kind === 'auth' && i.credential === 'wrong_kind') return ['wrong_credential_kind_status'];
  if (i.kind === 'probe' && i.asks) return [i.asks];
  return [];
}

/**
 * Is the status one of the answers (contracts/questions.yaml) to a question this request asks?
 * Such a status is part of the contract even where the spec, which cannot list every answer on
 * every operation, does not document it; whether it is this target's answer is the profile's to
 * say, and the check that asks the question judges that.
 */
export function answersQuestion(ex: Exchange, ctx: Pick<CheckContext, 'contracts'>): boolean {
  const status = String(ex.response.status);
  return questionsAsked(ex).some((q) => ctx.contracts.questions.get(q)?.answers.some((a) => String(a) === status));
}
