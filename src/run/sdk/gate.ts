import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { type Contracts, loadContracts } from '../../model/contracts';
import { UserError } from '../../model/errors';
import { arbitraryFor, boundaryArbitraryFor } from '../../model/arbitraries';
import { DEFAULT_SPEC, loadSpec, rememberedHeaderName, matchPath, type Operation, type Spec } from '../../model/spec/load';
import { followRefs } from '../../model/spec/pointer';
import { type Validators, validatorsFor } from '../../model/validators';
import { installSdk } from './install';
import { loadSdkPolicy, type SdkPolicy } from '../../model/contracts/sdk-policy';
import { mapMethod, type Mapping, methodsOf, type SdkMethod, type Signature, settle } from './reflect';
import { validateRequest } from './request-validator';
import { type Answer, ScriptedServer, type WireRequest } from './server';

export interface GateFinding {
  rule: string;
  /** Does the release policy (contracts/sdk-gate.yaml) say its rule blocks? */
  blocking: boolean;
  /** new, or known: in the policy's list of known findings, or in the build compared with (`--compare`). */
  state: 'new' | 'known';
  /** Why it is known: the policy entry (owner, reason, expiry), or the build compared with. */
  knownBy?: string;
  /** What the first occurrence showed. */
  message: string;
  /** Every SDK method that showed it (one report per rule, with where). */
  methods: string[];
  /** The first request that showed it (method, path and query). */
  request?: string;
  count: number;
}

export interface MethodReport {
  name: string;
  operation?: string;
  /** Calls made: generated inputs and answers, errors, transport. */
  calls: number;
  /** Why a method reaches no operation of the spec. */
  unmapped?: string;
}

export interface GateReport {
  sdk: string;
  version: string;
  seed: number;
  verdict: 'PASS' | 'BLOCK';
  findings: GateFinding[];
  methods: MethodReport[];
  coverage: { covered: string[]; missing: string[] };
  requests: number;
  seconds: number;
  /** The target profile whose answers decide what a retry may do. */
  profile: string;
  /** The build it was compared with (`--compare`), whose findings are known. */
  comparedWith?: string;
}

export interface GateOptions {
  sdk: string;
  /** The API version the client is built with (`version` option); default: the SDK's own. */
  version?: string;
  seed?: number;
  /** Generated calls per method (inputs and answers). */
  cases?: number;
  /** The target profile (contracts/targets/<name>.yaml) whose answers judge retries; default polytomic. */
  profile?: string;
  /** Told what the gate is doing, a line at a time (the command prints them: it runs for minutes under load). */
  progress?: (line: string) => void;
  /** The contracts directory whose sdk-gate.yaml is the release policy (default contracts/). */
  contractsDir?: string;
}

/** The token the gate's client is built with: no server ever issued it, and it is no secret. */
const GATE_TOKEN = 'ct_sdk_gate_token';
/** Status -> the error class a Fern-built SDK maps it to, where it maps it. */
const TYPED: Record<number, string> = { 400: 'BadRequestError', 401: 'UnauthorizedError', 403: 'ForbiddenError', 404: 'NotFoundError', 409: 'ConflictError', 422: 'UnprocessableEntityError', 429: 'TooManyRequestsError', 500: 'InternalServerError' };

type Ctor = new (...a: unknown[]) => unknown;

/** One case's input: arguments by position, and what each means. */
interface Input {
  args: unknown[];
  body?: unknown;
  query?: Record<string, unknown>;
  idempotencyKey?: string;
}

class Gate {
  readonly findings = new Map<string, GateFinding>();
  /** One value of an arbitrary, seeded by the run's seed and what it is for: the same every run with that seed. */
  readonly sample: <T>(arb: fc.Arbitrary<T>, salt: string) => T;

  constructor(
    readonly spec: Spec,
    readonly validators: Validators,
    readonly contracts: Contracts,
    readonly server: ScriptedServer,
    readonly seed: number,
    readonly policy: SdkPolicy,
    /** The API version the caller chose, else the build must send the spec's own. */
    readonly version: string,
  ) {
    const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 17);
    this.sample = (arb, salt) => fc.sample(arb, { seed: seed ^ hash(salt), numRuns: 1 })[0];
  }

  /** A finding under its rule, once per rule with every method that showed it; whether it blocks is the policy's. */
  find(rule: string, message: string, method?: string, r?: WireRequest): void {
    const seen = this.findings.get(rule);
    if (seen) {
      seen.count++;
      if (method && !seen.methods.includes(method)) seen.methods.push(method);
    } else {
      const known = this.policy.knownEntry(rule);
      this.findings.set(rule, {
        rule,
        blocking: this.policy.blocks(rule),
        state: known ? 'known' : 'new',
        ...(known ? { knownBy: `${known.owner}: ${known.reason} (until ${known.expires})` } : {}),
        message,
        methods: method ? [method] : [],
        request: r ? `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}` : undefined,
        count: 1,
      });
    }
  }

  /** A spec-valid success answer for an operation: generated, or at its edges (nulls, optional fields absent), or with fields the spec does not declare. */
  success(op: Operation, flavour: 'positive' | 'boundary' | 'extra' | 'null_list' | 'empty_list', salt: string): Answer {
    const ok = [...op.responses.values()].filter((r) => r.status.startsWith('2'));
    const withBody = ok.find((r) => r.schemaPointer && !r.bodyOptional);
    if (!withBody) return { status: Number(ok[0]?.status ?? 204) };
    const pointer = withBody.schemaPointer!;
    let body = this.sample(flavour === 'boundary' ? boundaryArbitraryFor(this.spec.doc, pointer) : arbitraryFor(this.spec.doc, pointer), salt) as { data?: unknown };
    if (flavour === 'null_list' || flavour === 'empty_list') body = { ...body, data: flavour === 'null_list' ? null : [] };
    if (flavour === 'extra') {
      const extra = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? { ...x, ct_undeclared: 'kept' } : x);
      body = { ...body, data: Array.isArray(body.data) ? body.data.map(extra) : extra(body.data) };
    }
    return { status: Number(withBody.status), body: JSON.stringify(body) };
  }

  /** Arguments for a method, generated from the spec: ids, a body, query values, and request options. */
  input(sig: Signature, salt: string, options: Record<string, unknown>, withKey = true, example = false): Input {
    const { doc } = this.spec;
    const op = sig.op;
    const args: unknown[] = [];
    for (const p of op.params.filter((x) => x.in === 'path')) args[sig.pathArgs[p.name]] = this.sample(arbitraryFor(doc, p.schemaPointer), `${salt} ${p.name}`);
    let body: unknown;
    if (sig.bodyArg !== undefined && op.requestBody) {
      // The spec's example as it is (every field it shows), or a generated body.
      body = example && op.requestBody.example !== undefined ? structuredClone(op.requestBody.example) : this.sample(arbitraryFor(doc, op.requestBody.schemaPointer), `${salt} body`);
      args[sig.bodyArg] = body;
    }
    if (sig.queryArg !== undefined) {
      const q = Object.fromEntries(op.params.filter((p) => p.in === 'query').map((p) => [p.name, this.sample(arbitraryFor(doc, p.schemaPointer), `${salt} ${p.name}`)]));
      args[sig.queryArg] = q;
    }
    // A key wherever the operation takes one: the SDK should send it as given.
    const idem = op.params.find((p) => p.in === 'header' && p.uniquePerRequest);
    const idempotencyKey = idem && withKey ? `ct-gate-${Math.abs(this.seed)}-${salt.replace(/[^A-Za-z0-9]/g, '').slice(-40)}` : undefined;
    for (let i = 0; i < sig.optionsArg; i++) if (!(i in args)) args[i] = undefined;
    args[sig.optionsArg] = { ...options, ...(idempotencyKey ? { idempotencyKey } : {}) };
    return { args, body, idempotencyKey, query: sig.queryArg !== undefined ? (args[sig.queryArg] as Record<string, unknown>) : undefined };
  }

  /** Judges one request the SDK sent for a case: against the spec, and against the input it was given. */
  judgeRequest(m: SdkMethod, sig: Signature, r: WireRequest | undefined, input: Input): void {
    if (!r) {
      this.find('no_request', `${m.name} sent no request`, m.name);
      return;
    }
    const { operation, findings } = validateRequest(this.spec, this.validators, this.contracts, r);
    const sentBody = r.body ? safeJson(r.body) : undefined;
    // A body the method altered is one defect: that it then breaks the schema is what the alteration did.
    const altered = input.body !== undefined && !isDeepStrictEqual(sentBody, JSON.parse(JSON.stringify(input.body)));
    for (const f of findings) if ((f.blocking || !this.policy.blocks(f.rule)) && !(altered && f.rule === 'invalid_body')) this.find(f.rule, f.message, m.name, r);
    if (operation && operation.id !== sig.op.id) this.find('operation_changed', `${m.name} called ${operation.id} with generated arguments, ${sig.op.id} when mapped`, m.name, r);
    // Every value the caller gave reaches the wire as given: query values, the body, the credential, the version, the key.
    for (const [k, v] of Object.entries(input.query ?? {})) {
      if (v === undefined) continue;
      if (r.query[k] === undefined) this.find('value_dropped', `${m.name} was given ${k}=${JSON.stringify(v)} and sent no ${k}`, m.name, r);
      else if (r.query[k] !== String(v)) this.find('value_altered', `${m.name} was given ${k}=${JSON.stringify(v)} and sent ${k}=${r.query[k]}`, m.name, r);
    }
    if (altered) this.find('body_altered', `${m.name} sent ${r.body.slice(0, 120)} for the body ${JSON.stringify(input.body).slice(0, 120)}`, m.name, r);
    const auth = r.headers.authorization;
    if (auth !== undefined && auth !== `Bearer ${GATE_TOKEN}` && /^bearer\s/i.test(auth)) this.find('credential_altered', `${m.name} was built with a token and sent Authorization "${auth.replace(GATE_TOKEN, '<token>')}", not "Bearer <token>"`, m.name, r);
    if (auth !== undefined && /^basic\s/i.test(auth) && Buffer.from(auth.split(/\s+/)[1] ?? '', 'base64').toString('utf8').startsWith(`${GATE_TOKEN}:`)) this.find('credential_altered', `${m.name} sent its token as a Basic user name`, m.name, r);
    const versionHeader = this.contracts.invariants.versions.header.toLowerCase();
    const sentVersion = r.headers[versionHeader];
    if (sentVersion !== undefined && sentVersion !== this.version && this.contracts.invariants.versions.supported.includes(sentVersion)) this.find('version_wrong', `${m.name} sent ${this.contracts.invariants.versions.header}: ${sentVersion}; the caller's is ${this.version}`, m.name, r);
    const remembered = rememberedHeaderName(this.spec) ?? 'idempotency key';
    if (input.idempotencyKey && r.headers[remembered.toLowerCase()] !== input.idempotencyKey) {
      this.find('idempotency_key_dropped', `${m.name} did not send the ${remembered} given in its request options`, m.name, r);
    }
  }

  /**
   * The method's declared parameters, by name, against where the wire put them: an argument whose
   * name says one path parameter and lands in another (a user id where the organization id goes)
   * is a swap, whatever the order the method takes them in.
   */
  judgeNames(m: SdkMethod, sig: Signature): void {
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const score = (arg: string, param: string) => (arg === param ? 3 : param.startsWith(arg) || arg.startsWith(param) ? 2 : param.endsWith(arg) || arg.endsWith(param) ? 1 : 0);
    const params = Object.keys(sig.pathArgs);
    for (const [param, i] of Object.entries(sig.pathArgs)) {
      const name = m.params[i];
      if (!name) continue;
      const scores = params.map((p) => ({ p, s: score(norm(name), norm(p)) })).sort((a, b) => b.s - a.s);
      const [best, next] = scores;
      // Only a name that points at one parameter above the others says where it belongs.
      if (best.s > 0 && (!next || next.s < best.s) && best.p !== param) this.find('parameter_misplaced', `${m.name}: its argument ${name} is sent as the path parameter ${param}, not ${best.p}`, m.name);
    }
  }

  /** Calls a method once with a scripted answer; returns what it gave back and the request it sent. */
  async call(m: SdkMethod, input: Input, ...answers: Answer[]) {
    this.server.script(...answers);
    const before = this.server.log.length;
    const started = performance.now();
    const out = await settle(() => m.call(...input.args), 10_000);
    return { ...out, requests: this.server.log.slice(before), ms: performance.now() - started };
  }
}

/** Does an operation's success answer carry a list in `data` (which may come back null or empty)? */
function answersList(spec: Spec, op: Operation): boolean {
  const ok = [...op.responses.values()].find((r) => r.status.startsWith('2') && r.schemaPointer);
  const data = ok?.schemaPointer ? followRefs(spec.doc, { $ref: ok.schemaPointer }, '').node?.properties?.data : undefined;
  return [].concat(data?.type ?? []).includes('array' as never);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The SDK's own error classes, by name (exported directly or in its `Polytomic` namespace). */
function errorClasses(sdk: Record<string, unknown>): Map<string, Ctor> {
  const out = new Map<string, Ctor>();
  for (const scope of [sdk, sdk.Polytomic as Record<string, unknown> | undefined]) {
    for (const [name, v] of Object.entries(scope ?? {})) if (typeof v === 'function' && name.endsWith('Error')) out.set(name, v as Ctor);
  }
  return out;
}

const errorOf = (e: unknown) => e as { statusCode?: number; body?: unknown; constructor?: { name?: string } } | undefined;

/**
 * Drives every method of an SDK build against the gate's own server: maps each to the operation
 * it calls by the request it sends, calls it with generated arguments and generated answers,
 * answers every documented error status, and tries the transport (a retried create, Retry-After,
 * a timeout). PASS or BLOCK, each finding with the method and request that showed it.
 */
export async function runGate(opts: GateOptions): Promise<GateReport> {
  const started = performance.now();
  const say = opts.progress ?? (() => undefined);
  say(`installing ${opts.sdk} into a scratch directory`);
  const installed = installSdk(opts.sdk);
  const spec = loadSpec(DEFAULT_SPEC);
  const validators = validatorsFor(spec).warm();
  const contracts = loadContracts(opts.contractsDir, opts.profile ?? 'polytomic');
  const policy = loadSdkPolicy(contracts.dir);
  const seed = opts.seed ?? 424242;
  const cases = opts.cases ?? 3;
  const sdk = require(installed.modulePath) as Record<string, unknown>;
  const Client = sdk.PolytomicClient as (new (o: Record<string, unknown>) => object) | undefined;
  if (typeof Client !== 'function') throw new UserError(`${opts.sdk} exports no PolytomicClient: is it the Polytomic SDK?`);
  const server = await new ScriptedServer({ [contracts.invariants.versions.header]: contracts.invariants.versions.supported[0] }).start();
  // The version the calls must carry: the caller's, else the one the spec (and so the build) is of.
  const version = opts.version ?? String(spec.doc.info?.version);
  const gate = new Gate(spec, validators, contracts, server, seed, policy, version);
  // Answers while mapping: a valid success for an operation of the spec, 404 for anything else.
  server.fallback = (r) => {
    const op = spec.operations.find((o) => o.method === r.method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(r.path));
    return op ? gate.success(op, 'positive', `fallback ${op.id}`) : { status: 404, body: '{"message":"no such route"}' };
  };
  const classes = errorClasses(sdk);
  const reports: MethodReport[] = [];
  try {
    const client = new Client({ token: GATE_TOKEN, environment: server.url, baseUrl: server.url, ...(opts.version ? { version: opts.version } : {}) });
    const methods = methodsOf(client);
    if (!methods.length) throw new UserError(`${opts.sdk}: the client exposes no methods`);
    const mappings: Mapping[] = [];
    say(`${methods.length} methods found; mapping each to the operation it calls`);
    for (const m of methods) mappings.push(await mapMethod(m, server, spec, spec.operations));
    const driven = mappings.filter((x) => !('unmapped' in x)).length;
    say(`${driven} methods call operations of the spec; driving each with generated inputs, answers and every documented error`);
    let done = 0;

    for (const mapping of mappings) {
      if ('unmapped' in mapping) {
        reports.push({ name: mapping.method.name, calls: 0, unmapped: mapping.unmapped });
        // A path of the spec with a method it does not declare is the SDK's mistake, not a method outside the spec.
        const r = mapping.request;
        if (r && matchPath(spec, r.path)) for (const f of validateRequest(spec, validators, contracts, r).findings) gate.find(f.rule, f.message, mapping.method.name, r);
        continue;
      }
      const { method: m, signature: sig } = mapping;
      if (++done % 10 === 0 || done === driven) say(`${done}/${driven} methods driven`);
      gate.judgeNames(m, sig);
      let calls = 0;
      const options = { maxRetries: 0, timeoutInSeconds: 5 };
      const list = answersList(spec, sig.op);
      const flavours = ['positive', 'boundary', 'extra', ...(list ? (['null_list', 'empty_list'] as const) : [])] as const;
      // Generated inputs (the first carrying the spec's example body, every field it shows), each
      // answered with a generated body the SDK must hand back unchanged.
      for (let k = 0; k < Math.max(cases, flavours.length); k++) {
        const flavour = flavours[k % flavours.length];
        const input = gate.input(sig, `${m.name} ${k}`, options, true, k === 0);
        const answer = gate.success(sig.op, flavour, `${m.name} answer ${k}`);
        const out = await gate.call(m, input, answer);
        calls++;
        gate.judgeRequest(m, sig, out.requests[0], input);
        const r = out.requests[0];
        if (out.timedOut) gate.find('hangs', `${m.name} did not settle within 10 s of a ${answer.status} answer`, m.name, r);
        else if (out.error) gate.find('success_raised', `${m.name} threw ${errorOf(out.error)?.constructor?.name} on a valid ${answer.status} answer (${flavour})`, m.name, r);
        else if (answer.body && !isDeepStrictEqual(out.value, JSON.parse(answer.body))) {
          gate.find('answer_altered', `${m.name} returned ${JSON.stringify(out.value)?.slice(0, 120)} for the ${flavour} answer ${answer.body.slice(0, 120)}`, m.name, r);
        }
      }
      // Every documented error status surfaces as an error carrying that status and the body.
      for (const res of [...sig.op.responses.values()].filter((x) => Number(x.status) >= 400)) {
        const status = Number(res.status);
        const body = res.schemaPointer ? JSON.stringify(gate.sample(arbitraryFor(spec.doc, res.schemaPointer), `${m.name} error ${status}`)) : '';
        const input = gate.input(sig, `${m.name} error ${status}`, options);
        const out = await gate.call(m, input, { status, body });
        calls++;
        const r = out.requests[0];
        const err = errorOf(out.error);
        if (!out.error) gate.find('error_not_raised', `${m.name} returned normally on a ${status} answer`, m.name, r);
        else if (err?.statusCode !== status) gate.find('error_status_lost', `${m.name} threw ${err?.constructor?.name} with statusCode ${err?.statusCode} on a ${status} answer`, m.name, r);
        else if (body && !isDeepStrictEqual(err.body, JSON.parse(body))) gate.find('error_body_lost', `${m.name}: the error of a ${status} answer carries ${JSON.stringify(err.body)?.slice(0, 80)}, not the body sent`, m.name, r);
        else {
          // A documented status surfaces as its own class (the SDK's, or one of that name): a caller catching it catches it.
          const want = TYPED[status];
          const cls = want ? classes.get(want) : undefined;
          if (want && !(cls && out.error instanceof cls) && err?.constructor?.name !== want) gate.find('error_untyped', `${m.name}: a documented ${status} surfaces as ${err?.constructor?.name}, not ${want}`, m.name, r);
        }
        if (out.requests.length > 1) gate.find('retried_despite_max_retries', `${m.name} sent ${out.requests.length} requests for one ${status} with maxRetries: 0`, m.name, r);
      }
      reports.push({ name: m.name, operation: sig.op.id, calls });
    }

    say('the transport: retries, Retry-After, timeouts');
    await transport(gate, mappings, contracts);
  } finally {
    await server.close();
  }
  const mapped = reports.filter((r) => r.operation);
  const covered = new Set(mapped.map((r) => r.operation!));
  const missing = spec.operations.map((o) => o.id).filter((id) => !covered.has(id));
  if (missing.length) gate.find('operation_unreached', `no method reaches ${missing.length} operation${missing.length === 1 ? '' : 's'} of the spec: ${missing.join(', ')}`);
  const findings = [...gate.findings.values()];
  return {
    sdk: opts.sdk,
    version: installed.version,
    seed,
    profile: contracts.profile.name,
    verdict: verdictOf(findings),
    findings,
    methods: reports,
    coverage: { covered: [...covered].sort(), missing },
    requests: server.log.length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** BLOCK when a finding the policy says blocks is new: not known, and not in the build compared with. */
export const verdictOf = (findings: GateFinding[]): 'PASS' | 'BLOCK' => (findings.some((f) => f.blocking && f.state === 'new') ? 'BLOCK' : 'PASS');

/**
 * A build against the one before it (`--compare`): what it shows that the other did not is new,
 * what both show is known (reported, not blocking); and what the other showed that it does not.
 */
export function compareReports(now: GateReport, before: GateReport): { report: GateReport; gone: string[] } {
  const had = new Set(before.findings.map((f) => f.rule));
  const findings = now.findings.map((f) => (f.state === 'new' && had.has(f.rule) ? { ...f, state: 'known' as const, knownBy: `${before.sdk} (${before.version}) has it too` } : f));
  const has = new Set(now.findings.map((f) => f.rule));
  return { report: { ...now, findings, verdict: verdictOf(findings), comparedWith: `${before.sdk} (${before.version})` }, gone: before.findings.map((f) => f.rule).filter((r) => !has.has(r)) };
}

/**
 * What the SDK's transport does, judged on what it sent: a request it sends again must be safe to
 * (an idempotent method, or carrying the same idempotency key it was first sent with), after a
 * 409 where the target profile says a 409 may follow a request that ran, after a 503 always; it
 * waits as long as Retry-After says, and its timeout holds.
 */
async function transport(gate: Gate, mappings: Mapping[], contracts: Contracts): Promise<void> {
  const mapped = mappings.filter((x): x is Extract<Mapping, { signature: Signature }> => 'signature' in x);
  const remembered = (rememberedHeaderName(gate.spec) ?? '').toLowerCase();
  const create = mapped.find((x) => x.signature.op.method === 'post' && x.signature.bodyArg !== undefined && x.signature.op.responses.has('409'));
  if (create) {
    const { method: m, signature: sig } = create;
    const conflictRan = !contracts.profile.only('conflict_runs_request', 'never');
    const unsafeRetries = async (status: number, withKey: boolean, why: string) => {
      const input = gate.input(sig, `${m.name} retry ${status}${withKey ? ' key' : ''}`, { timeoutInSeconds: 5, maxRetries: 2 }, withKey);
      const out = await gate.call(m, input, { status, body: `{"message":"${status}","status":${status}}` }, gate.success(sig.op, 'positive', `after ${status}`));
      const [first, ...again] = out.requests;
      const unsafe = again.filter((r) => !remembered || !first.headers[remembered] || r.headers[remembered] !== first.headers[remembered]);
      if (unsafe.length) gate.find('unsafe_retry', `${m.name} sent a create again after a ${status}${first.headers[remembered] ? ' with another idempotency key' : ' without an idempotency key'}: ${why}`, m.name, unsafe[0]);
    };
    if (conflictRan) await unsafeRetries(409, false, `${contracts.profile.name} answers conflict_runs_request with ${contracts.profile.accepted('conflict_runs_request').join(' or ')}, so the create may run twice`);
    await unsafeRetries(503, false, 'the first may have run: the create can run twice');
    await unsafeRetries(503, true, 'the first may have run: only the same key makes a repeat safe');
  }
  const read = mapped.find((x) => x.signature.op.method === 'get' && !Object.keys(x.signature.pathArgs).length) ?? mapped.find((x) => x.signature.op.method === 'get');
  if (!read) return;
  const { method: m, signature: sig } = read;
  const limited = await gate.call(m, gate.input(sig, `${m.name} 429`, { timeoutInSeconds: 10 }), { status: 429, headers: { 'Retry-After': '1' }, body: '{"message":"slow down","status":429}' }, gate.success(sig.op, 'positive', 'after 429'));
  const [a, b] = limited.requests;
  if (!b) gate.find('no_retry_on_429', `${m.name} did not retry a 429 with Retry-After: 1`, m.name, a);
  else if (b.at - a.at < 900) gate.find('retry_after_ignored', `${m.name} retried a 429 after ${b.at - a.at} ms where Retry-After said 1 s`, m.name, b);
  const slow = await gate.call(m, gate.input(sig, `${m.name} timeout`, { timeoutInSeconds: 1, maxRetries: 0 }), { ...gate.success(sig.op, 'positive', 'slow'), delayMs: 4000 });
  if (!slow.error || slow.ms > 3000) gate.find('timeout_ignored', `${m.name} with timeoutInSeconds: 1 ${slow.error ? `threw after ${Math.round(slow.ms)} ms` : slow.timedOut ? 'had not settled after 10 s' : `resolved after ${Math.round(slow.ms)} ms`}`, m.name, slow.requests[0]);
}
