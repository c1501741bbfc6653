import { citeRule, kindedRules } from '../model/contracts';
import type { Resource } from '../model/spec/resources';
import type { RunRecord } from './record';
import { type CheckContext, defineCheck, type Draft, type Exchange } from './types';

/** The fewest instances a container of `r` may hold by any rule: the spec's (x-resources per-container) or an invariant's, with where it comes from. */
function limitOf(ctx: CheckContext, r: Resource): { most: number; cite: Pick<Draft, 'rule' | 'basis' | 'note'> } | undefined {
  const limits: { most: number; cite: Pick<Draft, 'rule' | 'basis' | 'note'> }[] = [];
  if (r.perContainer) limits.push({ most: r.perContainer.most, cite: { rule: `x-resources ${r.kind} per-container`, basis: 'spec', note: `the spec: at most ${r.perContainer.most} per ${r.within?.kind}` } });
  for (const k of kindedRules(ctx.contracts.invariants)) if (k.kind === 'at_most_per_container' && k.resource === r.kind) limits.push({ most: k.most, cite: citeRule(k.id, k) });
  return limits.sort((a, b) => a.most - b.most)[0];
}

/** Live instances of `r` the run made in `container` before `t`, leaving out `except`. */
function madeBefore(seen: RunRecord, r: Resource, container: string, t: number, except?: string): number {
  return [...seen.inside(r.kind, container)].filter((k) => k.id !== except && k.made && k.made.at < t && k.deletedAt === undefined && !seen.goneBefore(k, t)).length;
}

export default defineCheck({
  id: 'container_limit',
  title: 'A container holds no more instances than its limit',
  severity: 'critical',
  restsOn: "the spec's x-resources per-container, and invariants of kind at_most_per_container",
  judged: { everyAnswer: 'every list of a limited resource in a container the run made, and every create the run made in one' },
  description:
    'Where the spec (x-resources per-container) or an invariant (kind at_most_per_container) says how many instances one container may hold, no create beyond that is accepted and no list of a container the run made holds more.',
  run(ex: Exchange, ctx, seen) {
    if (!ex.operation) return;
    const v = seen.view(ex);
    const r = v.resource;
    if (!r?.within || !v.ok || !v.mine || (v.role !== 'list' && v.role !== 'create')) return;
    const limit = limitOf(ctx, r);
    if (!limit) return;
    const field = r.within.field;
    // Where each instance lives: the field naming its container, else where the request acts.
    const home = (item: Record<string, unknown> | undefined) => (typeof item?.[field] === 'string' ? (item[field] as string) : seen.containerOf(ex, r));
    // Only containers the run made: what others hold is theirs.
    const ours = (container: string | undefined): container is string => !!container && !!seen.known(container)?.made;
    if (v.role === 'list') {
      const byHome = new Map<string, string[]>();
      for (const item of v.items) {
        const c = home(item);
        if (ours(c)) byHome.set(c, [...(byHome.get(c) ?? []), item.id as string]);
      }
      return [...byHome]
        .filter(([, ids]) => ids.length > limit.most)
        .map(([c, ids]) => ({ message: `${ex.operation!.id} lists ${ids.length} ${r.kind}s in ${r.within!.kind} ${c}, which may hold at most ${limit.most}`, expected: limit.most, actual: ids, ...limit.cite }));
    }
    const made = v.items[0]?.id as string | undefined;
    const container = home(v.items[0]);
    // An answer naming an instance known before it (the one there) made nothing new.
    const madeAt = made ? seen.known(made)?.made?.at : undefined;
    if (!made || !ours(container) || (madeAt !== undefined && madeAt < v.sent)) return;
    const before = madeBefore(seen, r, container, v.sent, made);
    if (before < limit.most) return;
    return { message: `${ex.operation.id} made a ${r.kind} in ${r.within.kind} ${container}, which held ${before} the run made (at most ${limit.most})`, expected: limit.most, actual: before + 1, ...limit.cite };
  },
});
