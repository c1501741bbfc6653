import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { UserError } from '../src/model/errors';
import type { Sent } from './types';

/**
 * What a real server may do that the embedded mock does not by default, and HTTP and the spec
 * allow: each is a way to start the mock (`MOCK_VARIATIONS=a,b`), and the suite must pass every
 * one of them (tests/mock/variations.spec.ts). They change how answers look and travel, never
 * what the API does.
 */
export const VARIATIONS = {
  infrastructure_headers: 'CDN, load balancer and rate limiter headers on every answer (cf-ray, via, x-cache, x-request-id, x-ratelimit-*, server-timing, set-cookie), and the version header twice',
  compression: 'bodies gzip-, deflate- or br-encoded, as the request accepts (with Vary: Accept-Encoding)',
  json_style: 'a charset on the content type in other spellings, pretty-printed JSON, non-ASCII as \\u escapes, members in another order',
  connections: 'Connection: close on every other answer, the other connections dropped without a word after the answer (an idle timeout), bodies sent chunked',
  rate_limits: 'a 429 with Retry-After, in seconds or as an HTTP date, on every 20th request whatever it is',
  latency_jitter: '0 to 30 ms of random delay on every answer',
  list_order: 'every list (and every array in an answer) in another order each time; the owner organization stays first',
  null_lists: '{"data": null} for an empty list',
  crowded_partner: 'the partner already holds 40 organizations of 5 users each that no run created',
} as const;

export type VariationName = keyof typeof VARIATIONS;

export function parseVariations(names: string[]): Set<VariationName> {
  const unknown = names.filter((n) => !(n in VARIATIONS));
  if (unknown.length) throw new UserError(`unknown mock variation ${unknown.join(', ')}; valid variations: ${Object.keys(VARIATIONS).join(', ')}`);
  return new Set(names as VariationName[]);
}

/** A small seeded generator: the mock's variations are the same run after run. */
export function seededRandom(seed = 20251118): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], random: () => number, keepFirst: boolean): T[] {
  const head = keepFirst ? items.slice(0, 1) : [];
  const rest = items.slice(head.length);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return [...head, ...rest];
}

/** Every array in a value in another order (the first element of the top list kept where it must stay first). */
export function reorder(value: unknown, random: () => number, keepFirst: boolean): unknown {
  if (Array.isArray(value)) return shuffled(value.map((v) => reorder(v, random, false)), random, keepFirst);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, reorder(v, random, keepFirst && k === 'data')] as const);
    return Object.fromEntries(entries);
  }
  return value;
}

/** Members of every object in another order. */
function remember(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => remember(v, random));
  if (value && typeof value === 'object') return Object.fromEntries(shuffled(Object.entries(value).map(([k, v]) => [k, remember(v, random)] as const), random, false));
  return value;
}

const INFRASTRUCTURE = (random: () => number): Record<string, string> => {
  const id = Math.floor(random() * 1e12).toString(16);
  return {
    'CF-RAY': `${id}-AMS`,
    'CF-Cache-Status': 'DYNAMIC',
    Via: '1.1 varnish, 1.1 google',
    'X-Cache': 'MISS',
    'X-Request-Id': `req_${id}`,
    'X-RateLimit-Limit': '600',
    'X-RateLimit-Remaining': String(Math.floor(random() * 600)),
    'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 60),
    'Server-Timing': `app;dur=${Math.floor(random() * 40)}`,
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'Set-Cookie': `__cf_bm=${id}; path=/; HttpOnly; Secure; SameSite=None`,
    Server: 'cloudflare',
    Date: new Date().toUTCString(),
  };
};

const CHARSETS = ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json'];

/** How an answer looks under the variations: headers, JSON spelling, list order. */
export function dressAnswer(sent: Sent, variations: ReadonlySet<VariationName>, random: () => number, keepFirst: boolean, versionHeader: string): Sent {
  let { headers, text } = sent;
  if (text && (variations.has('list_order') || variations.has('null_lists') || variations.has('json_style'))) {
    let body = JSON.parse(text) as Record<string, unknown>;
    if (variations.has('null_lists') && Array.isArray(body?.data) && body.data.length === 0) body = { ...body, data: null };
    if (variations.has('list_order')) body = reorder(body, random, keepFirst) as Record<string, unknown>;
    if (variations.has('json_style')) {
      body = remember(body, random) as Record<string, unknown>;
      text = JSON.stringify(body, null, 2).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      headers = { ...headers, 'Content-Type': CHARSETS[Math.floor(random() * CHARSETS.length)] };
    } else text = JSON.stringify(body);
  }
  if (variations.has('infrastructure_headers')) {
    const version = headers[versionHeader];
    // Written twice on the wire, as a proxy that adds its own copy does (node joins the two with a comma).
    headers = { ...INFRASTRUCTURE(random), ...headers, ...(version ? { [versionHeader]: `${version}, ${version}` } : {}) };
  }
  return { ...sent, headers, text };
}

/** The encoding a request accepts that the compression variation answers in (none if it accepts none). */
export function encodingFor(acceptEncoding: string | undefined, random: () => number): 'gzip' | 'deflate' | 'br' | undefined {
  const accepted = (acceptEncoding ?? '').split(',').map((s) => s.trim().split(';')[0]).filter((e) => e === 'gzip' || e === 'deflate' || e === 'br') as ('gzip' | 'deflate' | 'br')[];
  return accepted.length ? accepted[Math.floor(random() * accepted.length)] : undefined;
}

export function encode(text: string, encoding: 'gzip' | 'deflate' | 'br'): Buffer {
  const raw = Buffer.from(text);
  return encoding === 'gzip' ? gzipSync(raw) : encoding === 'deflate' ? deflateSync(raw) : brotliCompressSync(raw);
}
