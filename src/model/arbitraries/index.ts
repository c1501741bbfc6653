import fc from 'fast-check';
import { NegativeGenerator, type NegativeSample } from './negative';
import { ValueGenerator } from './positive';
import type { GenOptions } from './schema';
import type { Node } from '../spec/pointer';

export type { NegativeSample, Violation, ViolationKind } from './negative';
export type { GenOptions } from './schema';

const cache = new Map<string, unknown>();

function cached<T>(doc: Node, key: string, build: () => T): T {
  // One document per process in practice; the title keeps two specs apart.
  const k = `${doc?.info?.title}@${doc?.info?.version}#${key}`;
  if (!cache.has(k)) cache.set(k, build());
  return cache.get(k) as T;
}

/** Values the schema at `pointer` accepts. */
export function arbitraryFor(doc: Node, pointer: string, opts?: GenOptions): fc.Arbitrary<unknown> {
  return cached(doc, `positive ${pointer} ${JSON.stringify(opts ?? {})}`, () => new ValueGenerator(doc, opts).gen({ $ref: pointer }, 'positive'));
}

/** The schema's edges: min/max lengths and counts, null where nullable, optional keys all absent or all present. */
export function boundaryArbitraryFor(doc: Node, pointer: string, opts?: GenOptions): fc.Arbitrary<unknown> {
  return cached(doc, `boundary ${pointer} ${JSON.stringify(opts ?? {})}`, () => new ValueGenerator(doc, opts).gen({ $ref: pointer }, 'boundary'));
}

/**
 * Which constraints the server is known to enforce. A schema marks constraints no source states
 * with `x-assumptions: { <keyword>: <question> }`; they are broken only where `enforced` says the
 * target enforces them. `key` names the answer set, for caching.
 */
export interface Assumptions {
  key: string;
  enforced(question: string): boolean;
}

/** Values the schema rejects, one tagged violation each; undefined when nothing can be violated. */
export function negativeArbitraryFor(doc: Node, pointer: string, opts: GenOptions & { assumptions?: Assumptions } = {}): fc.Arbitrary<NegativeSample> | undefined {
  const { assumptions, ...gen } = opts;
  return cached(doc, `negative ${pointer} ${JSON.stringify(gen)} ${assumptions?.key ?? 'all'}`, () => {
    const all = new NegativeGenerator(doc, new ValueGenerator(doc, gen), assumptions).negatives({ $ref: pointer });
    return all.length ? fc.oneof(...all) : undefined;
  });
}
