import { escapeToken } from '../model/spec/pointer';
import type { Exchange } from './types';

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
