import { carriesMarker } from '../target/ledger';
import { runNameIn } from '../target/names';
import { contains, same } from './compare';
import { graceOf } from './expect';
import type { Expectation, Known, RunRecord } from './record';
import type { CheckContext, Exchange } from './types';

/** A field an answer shows otherwise than the record says it must. */
export interface Change {
  k: Known;
  field: string;
  expected: Expectation;
  got: unknown;
  /** JSON pointer of the field in the answer. */
  pointer: string;
}

const cache = new WeakMap<Exchange, Change[]>();

/**
 * Every field a read or a list answer shows otherwise than what the run did and saw says it must
 * (see RunRecord `expect`): an update not applied, a field changed with no write to it, a refused
 * write that changed something. Computed once per exchange; each check reports the changes that
 * are its rule's. An answer that leaves a field out says nothing of it (lists may be partial; a
 * field the invariants require is contract_required_fields' to miss).
 */
export function changesIn(ex: Exchange, ctx: CheckContext, seen: RunRecord): Change[] {
  const hit = cache.get(ex);
  if (hit) return hit;
  const out: Change[] = [];
  cache.set(ex, out);
  if (!ex.operation || ex.request.method !== 'GET') return out;
  const v = seen.view(ex);
  if (!v.ok || !v.answered) return out;
  const grace = graceOf(ctx, 'update_applied');
  const marker = v.answered.resource.marker;
  v.items.forEach((item, i) => {
    const k = seen.known(item.id);
    if (!k || v.sent < k.writtenAt + grace) return;
    for (const [field, e] of k.expect) {
      if (e.at > v.sent - grace || !(field in item)) continue;
      const got = item[field];
      if (holds(e, got, field === marker)) continue;
      out.push({ k, field, expected: e, got, pointer: `/data${v.answered!.list ? `/${i}` : ''}/${field}` });
    }
  });
  return out;
}

function holds(e: Expectation, got: unknown, isMarker: boolean): boolean {
  if (e.from !== 'update') return same(e.value, got);
  // What a server must keep of a name the run gave is the run's name in it (it may cut or normalise the rest).
  const name = isMarker ? runNameIn(e.value) : undefined;
  return name ? carriesMarker(got, name) : contains(e.value, got);
}
