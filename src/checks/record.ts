import type { Contracts } from '../model/contracts';
import { type FieldMark, type FieldPath, fieldMarks, valuesAt } from '../model/spec/fields';
import { type CredentialScheme, matchPath, type Operation, type Spec, schemeKinds } from '../model/spec/load';
import { followRefs, type Node, valueAt } from '../model/spec/pointer';
import { answeredResource, isReadonly, type Resource, type RouteRole, resourcesOf, scopeKindOf } from '../model/spec/resources';
import { fingerprintOf } from '../target/credentials';
import type { Exchange } from '../target/exchange';
import { runNameIn } from '../target/names';
import { isEmpty } from './compare';
import type { CheckId } from './ids';

/**
 * What later answers must show of one field of an instance, and why: an update sent it; it was
 * seen so, with no write since; a refused write must have left it so; an update must not have
 * changed it (a field the spec says an update ignores).
 */
export interface Expectation {
  value: unknown;
  /** When the answer that set it arrived: only answers to requests sent later are judged by it. */
  at: number;
  from: 'update' | 'seen' | 'refused' | 'kept';
  /** The operation behind it (the update, the refused write). */
  by?: string;
  /** The invariant it rests on, where one does (an update replacing whole, a field an update ignores). */
  invariant?: string;
  /** A refused write: whose rule the refusal was, so a change after it is reported under that rule. */
  refusal?: CheckId;
}

/** A reference an instance held to one since deleted, and what its next answer must show of it. */
export interface Orphan {
  path: FieldPath;
  id: string;
  kind: string;
  at: number;
  invariant?: string;
  question?: string;
}

/** An instance the run made or saw. */
export interface Known {
  kind: string;
  id: string;
  /** The instance it lives in (an organization's id), where its resource lives in one. */
  home?: string;
  /** The configured key (its environment variable) whose requests made or first saw it: whose it is. */
  root: string;
  readonly: boolean;
  /** Made by this run: when its create was answered, the value its create sent in the marker field, and the run's name in it. */
  made?: { at: number; value?: unknown; marker?: string; by: Exchange };
  /** The answered writes that named it in their path, in order: with `made.by`, what a reproduction replays. */
  writes: Exchange[];
  /** When a delete of it was answered with a 2xx. */
  deletedAt?: number;
  /** When the last write to it was answered: an answer to a request sent before may show the state before. */
  writtenAt: number;
  expect: Map<string, Expectation>;
  orphans: Orphan[];
  /** The last answer that showed it whole (a read), or an item of a list. */
  last?: Record<string, unknown>;
}

/** A minted key: whose it is, when it was minted, and what revoked it. */
export interface MintedKey {
  holder: string;
  at: number;
  revoked?: { at: number; invariant?: string; question?: string };
  /** The exchange that minted it (its answer carries the value). */
  by: Exchange;
}

/** What one exchange is, as the record reads it (computed once per exchange). */
export interface View {
  op: Operation;
  resource?: Resource;
  role?: RouteRole;
  /** The resource and shape of the data a 2xx answer carries. */
  answered?: { resource: Resource; list: boolean };
  /** Each path parameter's resource kind and value, in path order. */
  named: { kind: string; id: string }[];
  /** The instance the request acts on (its path's last id), unless it creates or lists in it. */
  self?: { kind: string; id: string };
  ok: boolean;
  /** Sent with a key of the run's own tenant (its partner key, or one built from it or minted by it). */
  mine: boolean;
  /** Sent with another tenant's key (the foreign partner's, or one built from it). */
  foreign: boolean;
  /** The answer's data items (of the answered resource), for a 2xx. */
  items: Record<string, unknown>[];
  sent: number;
  done: number;
  /** It repeats a header the server remembers (an idempotency key): its answer may be a replay. */
  repeatsKey: boolean;
  /**
   * Meant to succeed (a valid request or a scenario's probe) with a kind of credential the
   * operation accepts: a refusal of it says something of the instance, not of the request.
   */
  fair: boolean;
}

const data = (ex: Exchange): unknown => (ex.response.json as { data?: unknown } | undefined)?.data;

/**
 * One record of what the run did and saw, fed by every exchange of every test in this worker:
 * instances created, changed and deleted (with whose they are and where they live), keys minted
 * and revoked, and what each read and list showed. Stateful checks judge every answer against
 * it (src/checks/<id>.ts); scenarios only decide what to send. It never sends a request.
 *
 * It is kept per worker process: a test makes the instances it works with, so no instance is
 * shared between workers, and everything one could judge about an instance is in its worker's
 * record.
 */
export class RunRecord {
  readonly instances = new Map<string, Known>();
  /** Instances by kind and the instance they live in (`user <organization id>`). */
  private readonly byHome = new Map<string, Set<Known>>();
  readonly keys = new Map<string, MintedKey>();
  /** Values of remembered headers (an idempotency key) already sent. */
  private readonly remembered = new Set<string>();
  /** Containers whose built-in instances were judged already (per resource kind). */
  readonly builtInsJudged = new Set<string>();
  private readonly views = new WeakMap<Exchange, View>();
  private readonly settable = new Map<string, Map<string, Node>>();
  /** Per resource kind: the fields of other resources' entities that name its instances and say what becomes of them once it is deleted. */
  private readonly holdersOf = new Map<string, { resource: Resource; mark: FieldMark }[]>();
  private readonly schemes: CredentialScheme[];
  readonly scopeKind?: string;

  constructor(
    readonly spec: Spec,
    readonly contracts: Contracts,
    /** The configured keys of the run's own tenant (their environment variables): its own key and the others it was given. */
    readonly mine: ReadonlySet<string>,
    /** The configured key of another tenant, when the run has one. */
    readonly theirs?: string,
    readonly ownerId?: string,
  ) {
    this.schemes = [...schemeKinds(spec.doc).values()];
    this.scopeKind = scopeKindOf(spec);
  }

  /** Whether a configured key (its environment variable) is one of the run's own tenant. */
  isMine(root: string | undefined): boolean {
    return root !== undefined && this.mine.has(root);
  }

  /** A record that knows nothing yet, for the same spec, contracts and keys. */
  blank(): RunRecord {
    return new RunRecord(this.spec, this.contracts, this.mine, this.theirs, this.ownerId);
  }

  view(ex: Exchange): View {
    let v = this.views.get(ex);
    if (v) return v;
    const op = ex.operation!;
    const route = resourcesOf(this.spec).routeOf.get(op.id);
    const params = matchPath(this.spec, ex.request.path)?.params ?? {};
    const named = op.params.filter((p) => p.in === 'path' && p.resource && params[p.name] !== undefined).map((p) => ({ kind: p.resource!, id: params[p.name], at: op.path.indexOf(`{${p.name}}`) }));
    named.sort((a, b) => a.at - b.at);
    const acting = route?.role === 'create' || route?.role === 'list';
    const last = named.at(-1);
    const ok = ex.response.status >= 200 && ex.response.status < 300;
    const answered = answeredResource(this.spec, op);
    const d = ok ? data(ex) : undefined;
    const items = !answered ? [] : (answered.list ? (Array.isArray(d) ? d : []) : [d]).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string');
    const root = ex.request.as?.root;
    const unique = op.params.filter((p) => p.in === 'header' && p.uniquePerRequest).map((p) => header(ex, p.name)).filter((x): x is string => !!x);
    v = {
      op,
      resource: route?.resource,
      role: route?.role,
      answered,
      named: named.map(({ kind, id }) => ({ kind, id })),
      self: !acting && last ? { kind: last.kind, id: last.id } : undefined,
      ok,
      mine: this.isMine(root),
      foreign: root !== undefined && root === this.theirs,
      items,
      sent: ex.sentAt ?? performance.now(),
      done: ex.doneAt ?? performance.now(),
      repeatsKey: unique.some((k) => this.remembered.has(k)),
      fair: (ex.intent.kind === 'positive' || ex.intent.kind === 'probe') && op.credentials.some((c) => c === ex.request.as?.kind),
    };
    this.views.set(ex, v);
    return v;
  }

  known(id: unknown): Known | undefined {
    return typeof id === 'string' ? this.instances.get(id) : undefined;
  }

  /** The instances of a kind known to live in `home` (top-level kinds: `home` undefined). */
  inside(kind: string, home: string | undefined): Iterable<Known> {
    return this.byHome.get(`${kind} ${home ?? ''}`) ?? [];
  }

  private add(k: Known): Known {
    this.instances.set(k.id, k);
    const key = `${k.kind} ${k.home ?? ''}`;
    let set = this.byHome.get(key);
    if (!set) {
      set = new Set();
      this.byHome.set(key, set);
    }
    set.add(k);
    return k;
  }

  /** The instance, or the one it lives in (and so on up), that a delete had removed before `t`. */
  goneBefore(k: Known, t: number): Known | undefined {
    for (let x: Known | undefined = k, n = 0; x && n < 8; x = this.known(x.home), n++) if (x.deletedAt !== undefined && x.deletedAt < t) return x;
    return undefined;
  }

  /** The instances `k` lives in, nearest first. */
  homesOf(k: Known): string[] {
    const out: string[] = [];
    for (let x = this.known(k.home), n = 0; x && n < 8; x = this.known(x.home), n++) out.push(x.id);
    return k.home ? [k.home, ...out.filter((id) => id !== k.home)] : out;
  }

  /**
   * The container a request acts in for instances of `resource`: a path parameter naming an
   * instance of the kind it lives in (not the instance itself), else the one the credential acts
   * in, where that is the kind it lives in.
   */
  containerOf(ex: Exchange, resource: Resource): string | undefined {
    const v = this.view(ex);
    const within = resource.within?.kind;
    if (!within) return undefined;
    const inPath = v.named.filter((n) => n !== v.named.at(-1) || !v.self).find((n) => n.kind === within);
    if (inPath) return inPath.id;
    return within === this.scopeKind ? ex.request.as?.scope : undefined;
  }

  /**
   * Fields of a resource's instances that requests set (a top-level property of a create or an
   * update body that its entity also has), and their entity schemas: what a server may change only
   * when asked. Write-only fields, the field naming where it lives, and fields whose naming another
   * instance a question answers are not compared.
   */
  settableOf(resource: Resource): Map<string, Node> {
    let out = this.settable.get(resource.kind);
    if (out) return out;
    out = new Map();
    const doc = this.spec.doc;
    const entity = followRefs(doc, { $ref: `#/components/schemas/${resource.entity}` }, '').node?.properties ?? {};
    for (const set of resource.routes) {
      for (const op of [set.create, set.update]) {
        if (!op?.requestBody) continue;
        const props = followRefs(doc, { $ref: op.requestBody.schemaPointer }, '').node?.properties ?? {};
        const marks = fieldMarks(doc, op.requestBody.schemaPointer);
        for (const [k, raw] of Object.entries<Node>(props)) {
          const s = followRefs(doc, raw, '').node ?? {};
          if (!(k in entity) || s.writeOnly || k === resource.within?.field || marks.some((m) => m.path[0] === k && m.otherAnsweredBy)) continue;
          out.set(k, followRefs(doc, entity[k], '').node);
        }
      }
    }
    this.settable.set(resource.kind, out);
    return out;
  }

  /**
   * Cleanup (which sends its deletes outside the run's judging) deleted an instance: gone, as any
   * delete; or not, and then nothing is known of it any more.
   */
  disposed(id: string, gone: boolean): void {
    const k = this.instances.get(id);
    if (!k) return;
    if (gone) {
      k.deletedAt ??= performance.now();
      this.orphan(k, k.deletedAt);
      return;
    }
    this.instances.delete(id);
    this.byHome.get(`${k.kind} ${k.home ?? ''}`)?.delete(k);
  }

  /** Learns from an exchange, once the checks have judged it against what was known before. */
  learn(ex: Exchange): void {
    if (!ex.operation) {
      this.learnUndeclared(ex);
      return;
    }
    const v = this.view(ex);
    const status = ex.response.status;
    this.learnKeys(ex, v);
    for (const p of v.op.params) {
      const value = p.in === 'header' && p.uniquePerRequest ? header(ex, p.name) : undefined;
      if (value) this.remembered.add(value);
    }
    if (v.op.method !== 'get' && v.ok) for (const n of v.named) this.known(n.id)?.writes.push(ex);
    if (v.self && v.op.method !== 'get') this.learnWrite(ex, v, status);
    if (v.ok && v.role === 'create' && v.resource) this.learnCreate(ex, v, v.resource);
    if (v.ok && v.op.method === 'get' && v.answered) this.learnAnswer(ex, v, v.answered.resource);
  }

  /**
   * A method the spec does not declare, on a path that names an instance: a server that routes it
   * (PATCH to the update, say) wrote to it, one that refuses it did not.
   */
  private learnUndeclared(ex: Exchange): void {
    const m = matchPath(this.spec, ex.request.path);
    const sibling = m && this.spec.operations.find((o) => o.path === m.path);
    const last = sibling && [...sibling.params].reverse().find((p) => p.in === 'path' && p.resource && sibling.path.endsWith(`{${p.name}}`));
    const self = last && this.known(m!.params[last.name]);
    if (!self || ex.request.method === 'GET') return;
    const { status } = ex.response;
    const done = ex.doneAt ?? performance.now();
    if (status >= 200 && status < 300 && ex.request.method === 'DELETE') {
      self.deletedAt ??= done;
      this.orphan(self, done);
    } else if (status >= 400 && status < 500 && status !== 429) {
      for (const [f, e] of self.expect) if (e.from === 'seen' || e.from === 'refused') self.expect.set(f, { ...e, from: 'refused', by: `${ex.request.method} ${m!.path}`, refusal: 'update_applied' });
    } else {
      self.expect.clear();
      self.writtenAt = done;
    }
  }

  private learnKeys(ex: Exchange, v: View): void {
    const scheme = this.schemes.find((s) => s.mintedBy === v.op.id && s.valuePointer);
    if (!scheme || !v.ok || !v.self) return;
    const value = valueAt(ex.response.json, scheme.valuePointer!);
    if (typeof value !== 'string') return;
    const r = scheme.revoked;
    const forced = r?.byParam !== undefined && ex.request.query?.[r.byParam] === 'true';
    const repeatRevokes = !forced && r?.otherwise !== undefined && this.contracts.profile.only(r.otherwise, 'revokes_earlier');
    if (forced || repeatRevokes) {
      for (const k of this.keys.values()) {
        if (k.holder === v.self.id && !k.revoked) k.revoked = { at: v.done, ...(forced ? { invariant: r!.invariant } : { question: r!.otherwise }) };
      }
    }
    this.keys.set(fingerprintOf(value), { holder: v.self.id, at: v.done, by: ex });
  }

  private learnWrite(ex: Exchange, v: View, status: number): void {
    const self = this.known(v.self!.id);
    if (!self) return;
    if (v.ok && v.op.method === 'delete') {
      self.deletedAt ??= v.done;
      this.orphan(self, v.done);
      return;
    }
    const intent = ex.intent.kind;
    if (v.ok && v.role === 'update' && v.resource?.kind === self.kind && !v.repeatsKey && (intent === 'positive' || intent === 'probe')) {
      this.expectUpdate(ex, v, self, v.resource);
      return;
    }
    if (status >= 400 && status < 500 && status !== 429) {
      // Refused: what it showed before must still be so; a change is reported under the refusal's rule.
      const refusal = this.refusalOf(ex, v, self);
      for (const [f, e] of self.expect) if (e.from === 'seen' || e.from === 'refused') self.expect.set(f, { ...e, from: 'refused', by: v.op.id, refusal });
      return;
    }
    // Done, or perhaps done (a 5xx, a replayed key): nothing is known of it until it is read again.
    self.expect.clear();
    self.writtenAt = v.done;
  }

  /** The rule a refused write to `self` was about: whose key, which container, which reference, or its protection. */
  private refusalOf(ex: Exchange, v: View, self: Known): CheckId {
    if (self.readonly) return 'readonly_instances_protected';
    if (v.foreign) return 'cross_partner_access';
    const resource = resourcesOf(this.spec).byKind.get(self.kind);
    const container = resource ? this.containerOf(ex, resource) : undefined;
    if (container && self.home && container !== self.home) return 'cross_org_access';
    if (this.referencesElsewhere(ex, v).length) return 'cross_org_reference';
    return 'update_applied';
  }

  /**
   * Instances a request body names by id (fields the spec marks x-resource with a rejection
   * question) that it may not name: deleted before it was sent, or living elsewhere than where
   * the request acts.
   */
  referencesElsewhere(ex: Exchange, v: View): { id: string; kind: string; path: FieldPath; question: string; why: 'deleted' | 'elsewhere'; where?: string }[] {
    if (!v.op.requestBody || ex.request.body === undefined) return [];
    const out: ReturnType<RunRecord['referencesElsewhere']> = [];
    const landed = v.answered && v.items[0] && v.answered.resource.within ? v.items[0][v.answered.resource.within.field] : undefined;
    for (const m of fieldMarks(this.spec.doc, v.op.requestBody.schemaPointer)) {
      if (!m.resource || !m.unknownRejectedAs) continue;
      for (const id of valuesAt(ex.request.body, m.path)) {
        const k = this.known(id);
        if (!k) continue;
        const r = resourcesOf(this.spec).byKind.get(k.kind);
        const where = typeof landed === 'string' ? landed : r ? this.containerOf(ex, r) : undefined;
        if (this.goneBefore(k, v.sent)) out.push({ id: k.id, kind: k.kind, path: m.path, question: m.unknownRejectedAs, why: 'deleted' });
        else if (where && k.home && k.home !== where) out.push({ id: k.id, kind: k.kind, path: m.path, question: m.unknownRejectedAs, why: 'elsewhere', where });
      }
    }
    return out;
  }

  /** What an update sent must show from now on; where it replaces whole, what it left out must be gone. */
  private expectUpdate(ex: Exchange, v: View, self: Known, resource: Resource): void {
    const body = (ex.request.body ?? {}) as Record<string, unknown>;
    const settable = this.settableOf(resource);
    const marks = fieldMarks(this.spec.doc, v.op.requestBody?.schemaPointer ?? '#/components');
    const before = self.expect;
    const next = new Map<string, Expectation>();
    const at = v.done;
    for (const k of settable.keys()) {
      const mark = marks.find((m) => m.path.length === 1 && m.path[0] === k);
      if (mark?.updateIgnores) {
        const prior = before.get(k) ?? (self.last && k in self.last ? { value: self.last[k] } : undefined);
        if (prior) next.set(k, { value: prior.value, at, from: 'kept', by: v.op.id, invariant: mark.updateIgnores });
        continue;
      }
      if (mark?.fromResource) continue;
      if (k in body && !isEmpty(body[k])) next.set(k, { value: body[k], at, from: 'update', by: v.op.id });
      else if (resource.updateReplacesWhole && k !== resource.marker) next.set(k, { value: null, at, from: 'update', by: v.op.id, invariant: resource.updateReplacesWhole });
    }
    self.expect = next;
    self.writtenAt = at;
  }

  /** A deleted instance: its keys stop working, and what referred to it owes an answer about it. */
  private orphan(gone: Known, at: number): void {
    const scheme = this.schemes.find((s) => s.revoked?.withHolder);
    if (scheme) for (const k of this.keys.values()) if (k.holder === gone.id && !k.revoked) k.revoked = { at, invariant: scheme.revoked!.withHolder };
    let holders = this.holdersOf.get(gone.kind);
    if (!holders) {
      holders = [...resourcesOf(this.spec).byKind.values()].flatMap((resource) => fieldMarks(this.spec.doc, `#/components/schemas/${resource.entity}`).filter((m) => m.resource === gone.kind && m.afterDelete).map((mark) => ({ resource, mark })));
      this.holdersOf.set(gone.kind, holders);
    }
    for (const { resource, mark: m } of holders) {
      // What may name an instance lives where it does (another organization's reference is refused).
      for (const holder of this.inside(resource.kind, resource.within?.kind === this.kindOf(gone.home) ? gone.home : undefined)) {
        if (holder === gone || this.goneBefore(holder, at + 1)) continue;
        const expected = holder.expect.get(m.path[0]);
        const held = [...valuesAt(holder.last, m.path), ...(expected ? valuesAt({ [m.path[0]]: expected.value }, m.path) : [])];
        if (!held.includes(gone.id)) continue;
        holder.expect.delete(m.path[0]);
        holder.orphans.push({ path: m.path, id: gone.id, kind: gone.kind, at, invariant: m.afterDelete!.invariant, question: m.afterDelete!.question });
      }
    }
  }

  private kindOf(id: string | undefined): string | undefined {
    return this.known(id)?.kind;
  }

  private learnCreate(ex: Exchange, v: View, resource: Resource): void {
    const d = v.items[0];
    if (!d || this.instances.has(d.id as string)) return;
    const body = (ex.request.body ?? {}) as Record<string, unknown>;
    const field = resource.within?.field;
    const home = (field && typeof d[field] === 'string' ? (d[field] as string) : undefined) ?? this.containerOf(ex, resource);
    this.add({
      kind: resource.kind,
      id: d.id as string,
      home,
      root: ex.request.as?.root ?? 'none',
      readonly: isReadonly(resource, d),
      made: { at: v.done, value: body[resource.marker], marker: runNameIn(body[resource.marker]), by: ex },
      writes: [],
      writtenAt: v.done,
      // What the create answered is what it made: later answers must show it, until a write.
      expect: new Map([...this.settableOf(resource).keys()].filter((f) => f in d).map((f) => [f, { value: d[f], at: v.done, from: 'seen' }])),
      orphans: [],
      last: d,
    });
  }

  /** Instances a read or a list showed: learnt if new, and what they showed is what later answers must show. */
  private learnAnswer(ex: Exchange, v: View, resource: Resource): void {
    const settable = this.settableOf(resource);
    const container = this.containerOf(ex, resource);
    for (const item of v.items) {
      const id = item.id as string;
      let k = this.instances.get(id);
      if (!k) {
        const field = resource.within?.field;
        k = this.add({
          kind: resource.kind,
          id,
          home: (field && typeof item[field] === 'string' ? (item[field] as string) : undefined) ?? (v.answered?.list ? container : undefined),
          root: ex.request.as?.root ?? 'none',
          readonly: isReadonly(resource, item),
          writtenAt: Number.NEGATIVE_INFINITY,
          expect: new Map(),
          orphans: [],
          writes: [],
        });
      }
      k.readonly ||= isReadonly(resource, item);
      if (v.sent < k.writtenAt) continue;
      k.orphans = k.orphans.filter((o) => o.at >= v.sent || (v.answered?.list && !(o.path[0] in item)));
      if (!v.answered?.list) k.last = item;
      for (const f of settable.keys()) if (f in item) k.expect.set(f, { value: item[f], at: v.done, from: 'seen' });
    }
  }
}

function header(ex: Exchange, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === lower)?.[1];
}
