import type { Spec } from '../model/spec/load';
import { answeredResource } from '../model/spec/resources';
import type { Contracts } from '../model/contracts';
import { citeInvariant } from '../model/contracts';
import type { Exchange, Finding } from './types';

/**
 * Rules about what an answer may hold that the run can judge on every answer it gets, not only
 * on the one step a workflow makes to test them: a server that breaks them later in the run, or
 * only once the other partner has acted, is caught wherever it does. They need what the run has
 * learnt so far (which instances are whose), so they live with the run, one per worker; the
 * findings carry the ids of the stateful checks whose workflows test the same rules on purpose.
 */
export class AnswerWatch {
  /** Top-level instances (organizations) seen in answers to each partner. */
  private readonly seen = { mine: new Set<string>(), theirs: new Set<string>() };
  private readonly answers = new Map<string, ReturnType<typeof answeredResource>>();

  constructor(
    private readonly spec: Spec,
    private readonly contracts: Contracts,
    /** The Authorization header of each partner's key, to tell whose request an exchange is. */
    private readonly auth: { mine: string; theirs?: string },
    private readonly ownerId?: string,
  ) {}

  private whose(ex: Exchange): 'mine' | 'theirs' | undefined {
    const a = Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    return a === this.auth.mine ? 'mine' : a !== undefined && a === this.auth.theirs ? 'theirs' : undefined;
  }

  /** Judges an answer against what the run knows, then learns from it. */
  judge(ex: Exchange): Finding[] {
    const op = ex.operation;
    const side = this.whose(ex);
    if (!op || !side || ex.response.status < 200 || ex.response.status >= 300) return [];
    if (!this.answers.has(op.id)) this.answers.set(op.id, answeredResource(this.spec, op));
    const answered = this.answers.get(op.id);
    if (!answered || answered.resource.within) return [];
    const data = (ex.response.json as { data?: unknown } | undefined)?.data;
    const ids = (answered.list ? (Array.isArray(data) ? data : []) : [data]).map((d) => (d && typeof d === 'object' ? (d as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string');
    const out: Finding[] = [];
    const kind = answered.resource.kind;
    if (answered.list) {
      const other = side === 'mine' ? this.seen.theirs : this.seen.mine;
      const strangers = ids.filter((id) => other.has(id));
      if (strangers.length) {
        out.push({ check: 'org_list_isolation', message: `${side === 'mine' ? "another partner's" : "this partner's"} ${kind}s ${strangers.join(', ')} in a list answered to ${side === 'mine' ? 'this partner' : 'another partner'}`, actual: strangers, ...citeInvariant(this.contracts.invariants, 'tenant_scope') });
      }
      // The owner organization, wherever it is listed, comes first.
      const at = this.ownerId && side === 'mine' ? ids.indexOf(this.ownerId) : -1;
      if (at > 0) {
        out.push({ check: 'owner_org_first', message: `the owner organization ${this.ownerId} is element ${at} of the ${kind} list, not 0`, pointer: `/data/${at}`, expected: this.ownerId, actual: ids[0], ...citeInvariant(this.contracts.invariants, 'owner_org_first') });
      }
    }
    for (const id of ids) this.seen[side].add(id);
    return out;
  }
}
