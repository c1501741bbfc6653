import type { CredentialKind } from '../../model/spec/load';
import { requiredOnly } from '../../model/spec/fields';
import { valueAt } from '../../model/spec/pointer';
import { resourceOf, resourcesOf } from '../../model/spec/resources';
import { type Credential, credential, orgScoped } from '../../target/credentials';
import type { Exchange } from '../../target/exchange';
import { RefusedSetup, type Sandbox, SetupError } from '../../target/sandbox';
import { buildRequest, type RequestParts, type Target } from '../../target/target';
import { type Instance, mintedScheme, pathParams, planFor, type Plan, type PlanOptions, schemeOf, type WorldLike } from './plan';

export type { Instance } from './plan';

/**
 * The instances one test works with, made on first use: an organization only when a request
 * needs one, a user in it only when a request names a user, a user key only when one is sent.
 * Everything is created through the spec's own routes (x-resources) with the spec's example
 * bodies, recorded in the sandbox's ledger, and deleted with it.
 */
export class World implements WorldLike {
  private readonly mine = new Map<string, Promise<Instance>>();
  private readonly listed = new Map<string, Promise<Instance[]>>();
  private readonly keys = new Map<string, Promise<{ credential: Credential; holder: Instance }>>();

  constructor(
    readonly sb: Sandbox,
    readonly target: Target,
  ) {}

  private get readOnly(): boolean {
    return this.target.config.readOnly;
  }

  private memo<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let p = cache.get(key);
    if (!p) {
      p = make();
      cache.set(key, p);
      // A failed setup is not cached: the next test step may try again.
      p.catch(() => cache.delete(key));
    }
    return p;
  }

  instance(kind: string): Promise<Instance> {
    return this.memo(this.mine, kind, async () => {
      if (this.readOnly) return discovered(this, kind);
      const within = resourceOf(this.target.spec, kind).within;
      return this.fresh(kind, { within: within ? await this.instance(within.kind) : undefined });
    });
  }

  /** Sends a setup request and insists on a 2xx. */
  async setup(plan: Plan, parts: RequestParts, what: string): Promise<Exchange> {
    const { op } = plan;
    if (this.readOnly && op.method !== 'get') throw new SetupError(`POLYTOMIC_READ_ONLY=1: not ${what}`);
    const ex = await this.sb.send(op, buildRequest(this.target, op, { credential: plan.credential, params: plan.params, ...parts }));
    const { status, json } = ex.response;
    if (status < 200 || status >= 300) {
      plan.settle(ex);
      const message = (json as { message?: unknown } | undefined)?.message;
      throw new RefusedSetup(`setup: ${what} (${op.method.toUpperCase()} ${op.path}) got ${status}: ${typeof message === 'string' ? message : ex.response.text.slice(0, 200)}`, ex);
    }
    return ex;
  }

  async fresh(kind: string, opts: { within?: Instance; body?: Record<string, unknown>; set?: number } = {}): Promise<Instance> {
    const resource = resourceOf(this.target.spec, kind);
    // A resource a container holds only so many of gets a container of its own.
    const within = opts.within ?? (resource.within ? await (resource.perContainer ? this.fresh(resource.within.kind) : this.instance(resource.within.kind)) : undefined);
    const op = resource.routes[opts.set ?? 0].create;
    const plan = await planFor(op, this, { within });
    // A plain instance: the example's required fields only (an organization without SSO, a user without roles).
    const plain = op.requestBody ? requiredOnly(this.target.spec.doc, op.requestBody.schemaPointer, plan.example ?? {}) : undefined;
    const ex = await this.setup(plan, { body: plain && { ...plain, ...opts.body } }, `creating ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`);
    const made = plan.settle(ex);
    if (!made) throw new RefusedSetup(`setup: creating a ${kind} answered ${ex.response.status} without an id`, ex);
    return made;
  }

  known(kind: string, within: Instance): Promise<Instance[]> {
    return this.memo(this.listed, `${kind} ${within.id}`, async () => {
      const plan = await planFor(resourceOf(this.target.spec, kind).routes[0].list, this, { target: within, within });
      const ex = await this.setup(plan, {}, `listing ${kind}s`);
      const data = (ex.response.json as { data?: unknown } | undefined)?.data;
      return (Array.isArray(data) ? data : []).filter((d) => typeof d?.id === 'string').map((d) => ({ kind, id: d.id, data: d, within }));
    });
  }

  /**
   * A credential of a kind, as its scheme says to make it: the run's own key; that key scoped to
   * `scope`; or a key minted for a new instance in `scope`. A kind made of a key the run was not
   * given cannot be sent: the test is skipped, saying so.
   */
  credential(kind: CredentialKind, scope?: Instance): Promise<Credential> {
    const { own, spec, keys } = this.target;
    // The run's own key first: another key it was given is used only for the kinds own cannot make.
    const alone = [own, ...keys].find((k) => k.kind === kind);
    if (alone) return Promise.resolve(alone);
    const scheme = schemeOf(spec, kind);
    const scopedOf = [own, ...keys].find((k) => k.scopedKind === kind);
    if (!scopedOf && !scheme?.mintedBy) return Promise.reject(new SetupError(`this run has no ${kind} credential: it is made of the ${scheme?.key ?? 'unknown'} key, and the run was given ${keys.map((k) => k.label).join(', ')}`));
    if (!scope) return Promise.reject(new SetupError(`a ${kind} credential needs an instance to act in`));
    if (scopedOf) return Promise.resolve(orgScoped(scopedOf, scope.id));
    return this.userKey(scope).then((k) => k.credential);
  }

  /** The world's user key in `scope`, and the instance (a user) it stands for. */
  userKey(scope: Instance): Promise<{ credential: Credential; holder: Instance }> {
    return this.memo(this.keys, scope.id, async () => this.mint(scope));
  }

  /** A user key: minted (as the scheme's `x-credential.minted-by` says) for a new instance in `scope`. */
  async mint(scope: Instance, holder?: Instance): Promise<{ credential: Credential; holder: Instance }> {
    if (this.readOnly) throw new SetupError('POLYTOMIC_READ_ONLY=1: a user key would have to be minted');
    const scheme = mintedScheme(this.target.spec);
    const op = scheme?.mintedBy ? this.target.spec.byId.get(scheme.mintedBy) : undefined;
    if (!op || !scheme?.valuePointer) throw new SetupError('the spec says of no operation that it mints user keys (x-credential.minted-by and value)');
    const holderKind = pathParams(op).at(-1)?.resource;
    if (!holderKind) throw new SetupError(`${op.id} names no instance to mint a key for`);
    const owner = holder ?? (await this.fresh(holderKind, { within: scope }));
    const plan = await planFor(op, this, { target: owner });
    const ex = await this.setup(plan, {}, 'minting a user API key');
    const value = valueAt(ex.response.json, scheme.valuePointer);
    if (typeof value !== 'string') throw new RefusedSetup(`setup: minting a user API key returned no key at ${scheme.valuePointer}`, ex);
    return { credential: credential(scheme.kind, value, 'USER_KEY', { scope: scope.id, holder: owner.id, root: this.target.own.root }), holder: owner };
  }

  /** A plan for an operation in this world. */
  plan(opId: string, opts?: PlanOptions): Promise<Plan> {
    const op = this.target.spec.byId.get(opId);
    if (!op) throw new SetupError(`the spec has no operation ${opId}`);
    return planFor(op, this, opts);
  }
}

/** Read-only runs: what the target already holds, found by listing (once per worker). */
const discoveries = new WeakMap<Target, Map<string, Promise<Instance>>>();

/**
 * The instance a read-only run reads: for a top-level kind, the first listed one whose instances
 * of every kind living in it can be listed and are there (so GETs that name them have ids to
 * use); for others, the first listed in the discovered one they live in.
 */
function discovered(world: World, kind: string): Promise<Instance> {
  let perTarget = discoveries.get(world.target);
  if (!perTarget) {
    perTarget = new Map();
    discoveries.set(world.target, perTarget);
  }
  let p = perTarget.get(kind);
  if (!p) {
    p = discover(world, kind);
    perTarget.set(kind, p);
  }
  return p;
}

async function discover(world: World, kind: string): Promise<Instance> {
  const { spec } = world.target;
  const resource = resourceOf(spec, kind);
  if (resource.within) {
    const home = await world.instance(resource.within.kind);
    const found = (await world.known(kind, home))[0];
    if (!found) throw new SetupError(`POLYTOMIC_READ_ONLY=1: no ${kind} to read in ${home.kind} ${home.id}`);
    return found;
  }
  const plan = await planFor(resource.routes[0].list, world, {});
  const ex = await world.setup(plan, {}, `listing ${kind}s`);
  const data = (ex.response.json as { data?: unknown } | undefined)?.data;
  const candidates: Instance[] = (Array.isArray(data) ? data : []).filter((d) => typeof d?.id === 'string').map((d) => ({ kind, id: d.id, data: d }));
  if (!candidates.length) throw new SetupError(`POLYTOMIC_READ_ONLY=1: the target lists no ${kind}`);
  const inside = [...resourcesOf(spec).byKind.values()].filter((r) => r.within?.kind === kind);
  let best = candidates[0];
  let bestScore = -1;
  for (const c of candidates.slice(0, 10)) {
    let score = 0;
    for (const r of inside) score += (await world.known(r.kind, c).catch(() => [])).length ? 1 : 0;
    if (score > bestScore) [best, bestScore] = [c, score];
    if (score === inside.length) break;
  }
  return best;
}
