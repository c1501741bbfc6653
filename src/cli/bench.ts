import { resourcesOf } from '../model/spec/resources';
import { fillPath } from '../target/target';
import { loadContracts } from '../model/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startPrism } from '../run/crosscheck/prism';
import { operationProperty } from '../run/properties/operation';
import { DEFAULT_SPEC } from '../model/spec/load';
import { withoutSuiteSettings } from '../model/config';
import { EMBEDDED_KEYS } from '../run/embedded';
import { suiteEnv } from '../run/judged-sandbox';
import { openSession } from '../run/session';
import { main } from './run';
import { UserError } from '../model/errors';
import type { CoverageReport } from '../run/coverage/report';
import { listFaults } from '../run/embedded';
import { markdownTable } from '../run/report/markdown';
import { scoreFaults } from '../run/selfcheck/score';

/**
 * `npm run bench [-- --only speed,coverage,faults,nightly]`: the figures the suite promises.
 * Speed as ratios measured side by side in one run (absolute times vary from machine to machine);
 * what a request budget buys in coverage and in self-check faults caught; the nightly profile's
 * throughput. Every run it makes is against the embedded mock, whatever target settings are exported.
 */
/** Requests per round of the property-loop comparison. */
const N = Number(process.env.BENCH_REQUESTS ?? 3000);

function startProcess(cmd: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((ok, fail) => {
    // The embedded mock and the servers compared with it never see a live target's settings.
    const child = spawn(cmd[0], cmd.slice(1), { env: { ...withoutSuiteSettings(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) ok({ child, url: m[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => fail(new Error(`${cmd.join(' ')} exited: ${out.slice(-500)}`)));
  });
}

const agentFor = (inFlight: number) => new http.Agent({ keepAlive: true, maxSockets: inFlight });

function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<void> {
  return new Promise((ok, fail) => {
    http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', ok);
    }).on('error', fail);
  });
}

/** Sequential keep-alive GETs on one socket: the fastest single client on Node 20, and what the property loop does. */
async function bareLoop(url: string, path: string, headers: Record<string, string>, n: number): Promise<number> {
  const agent = agentFor(1);
  for (let i = 0; i < 200; i++) await get(url + path, headers, agent);
  const t = performance.now();
  for (let i = 0; i < n; i++) await get(url + path, headers, agent);
  agent.destroy();
  return n / ((performance.now() - t) / 1000);
}

/**
 * Server throughput: `SERVER_LOAD` requests kept in flight for a fixed time after a warm-up (so
 * both sides are compiled), counting answers. With one in flight every server is bound by the
 * loopback round trip, which hides how much work each does per request.
 */
async function throughput(url: string, path: string, headers: Record<string, string>, seconds = 1.5): Promise<number> {
  const agent = agentFor(SERVER_LOAD);
  const drive = async (ms: number) => {
    let done = 0;
    const end = performance.now() + ms;
    await Promise.all(Array.from({ length: SERVER_LOAD }, async () => {
      while (performance.now() < end) {
        await get(url + path, headers, agent);
        done++;
      }
    }));
    return done;
  };
  await drive(1000);
  const t = performance.now();
  const done = await drive(seconds * 1000);
  agent.destroy();
  return done / ((performance.now() - t) / 1000);
}

/** Requests in flight for the server comparison. */
const SERVER_LOAD = 8;

const CONSTANT_SERVER = `require('http').createServer((q, s) => s.end('{"data":[]}')).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

/** The budgets the coverage and fault tables are measured at (and the unbudgeted run after them). */
const BUDGETS = [250, 500, 1000, 3000];

/** CPU seconds of this process's finished children (Linux: utime and stime of the children waited for). */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // Fields 16 and 17 of the file (cutime, cstime), counted after the `pid (comm)` pair; clock ticks of 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** `npm run conformance` against the embedded mock, as a user would run it: exit code, wall and CPU time, output. */
const BENCH_REPORTS = 'reports/bench';

async function conformanceRun(env: Record<string, string>): Promise<{ code: number; wall: number; cpu: number; out: string }> {
  const cpu = childrenCpu();
  const t = performance.now();
  let out = '';
  const code = await new Promise<number>((ok) => {
    // Its runs write under reports/bench/: the user's last run stays reports/latest.
    const child = spawn('npm', ['run', '--silent', 'conformance'], { env: { ...withoutSuiteSettings(), CONFORMANCE_REPORTS_DIR: BENCH_REPORTS, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout!.on('data', (d) => (out += d));
    child.on('exit', (c) => ok(c ?? 1));
  });
  return { code, wall: (performance.now() - t) / 1000, cpu: childrenCpu() - cpu, out };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Results = Record<string, number | string>;

/** Speed ratios: the property loop against a bare loop, servers against each other, validation, the PR-tier run. */
async function speed(results: Results): Promise<void> {
  const tsx = [process.execPath, require.resolve('tsx/cli')];
  const mock = await startProcess([...tsx, 'mock/cli.ts'], /listening on (http:\/\/\S+)/, { PORT: '0' });
  const { versions } = loadContracts().invariants;
  const auth = { Authorization: `Bearer ${EMBEDDED_KEYS.partner}`, [versions.header]: versions.supported[0] };
  try {
    // 1. Property loop vs bare loop, same mock, alternated three times.
    const target = openSession('bench', { POLYTOMIC_BASE_URL: mock.url, POLYTOMIC_PARTNER_KEY: EMBEDDED_KEYS.partner, CONFORMANCE_RPS: '0', CONFORMANCE_RUN_ID: 'bench-run' });
    const { env } = suiteEnv(target, 'b');
    const { sb } = env;
    // The first resource living in another (users): its read, in a loop.
    const inner = [...resourcesOf(target.spec).byKind.values()].find((r) => r.within)!;
    const user = await env.world.instance(inner.kind);
    const op = inner.routes[0].read;
    const prop: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < 3; round++) {
      bare.push(await bareLoop(mock.url, fillPath(op.path, (await env.world.plan(op.id, { target: user })).params), auth, N));
      const t = performance.now();
      const outcome = (await operationProperty(env, op, 'positive', { seed: round, numRuns: N, grep: 'bench' }))!;
      prop.push(outcome.requests / ((performance.now() - t) / 1000));
    }
    await sb.dispose();
    target.client.close();
    results['property loop req/s'] = Math.round(median(prop));
    results['bare http.request req/s'] = Math.round(median(bare));
    results['ratio property/bare (target >= 0.6)'] = +(median(prop) / median(bare)).toFixed(2);

    // 2. Server throughput: the mock, Prism's mock and a constant-body server under the same load
    // from the same client, each in a process of its own (a server inside the client's process
    // skips the cross-process scheduling every real server pays), in alternating rounds.
    // Prism at its fastest: silent (its per-request logging costs it about a third of its throughput).
    const rates = { mock: [] as number[], prism: [] as number[], constant: [] as number[] };
    const prism = await startPrism({ spec: DEFAULT_SPEC });
    try {
      const constant = await startProcess([process.execPath, '-e', CONSTANT_SERVER], /listening on (http:\/\/\S+)/);
      try {
        for (let round = 0; round < 3; round++) {
          rates.mock.push(await throughput(mock.url, '/api/organizations', auth));
          rates.prism.push(await throughput(prism.url, '/api/organizations', auth));
          rates.constant.push(await throughput(constant.url, '/', {}));
        }
      } finally {
        constant.child.kill();
      }
    } finally {
      await prism.close();
    }
    const [mockRate, prismRate, constRate] = [median(rates.mock), median(rates.prism), median(rates.constant)];
    results[`mock req/s (GET organizations, ${SERVER_LOAD} in flight)`] = Math.round(mockRate);
    results[`prism mock req/s (-v silent, ${SERVER_LOAD} in flight)`] = Math.round(prismRate);
    results['ratio mock/prism (target >= 2)'] = +(mockRate / prismRate).toFixed(2);
    results[`constant-body node server req/s (${SERVER_LOAD} in flight)`] = Math.round(constRate);
    results['ratio mock/constant-body server'] = +(mockRate / constRate).toFixed(2);

    // 3. Cost of validating one response with the compiled validator.
    const v = target.validators;
    const list = inner.routes[0].list.responses.get('200')!.schemaPointer!;
    const body = { data: Array.from({ length: 10 }, (_, i) => ({ id: `3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f5${i}`, email: `u${i}@example.com`, organization_id: '3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f50', role_ids: null })) };
    const validate = v.at(list);
    for (let i = 0; i < 5000; i++) validate(body);
    const t = performance.now();
    for (let i = 0; i < 100_000; i++) validate(body);
    results['validate one 10-user list response (µs)'] = +(((performance.now() - t) * 1000) / 100_000).toFixed(2);
  } finally {
    mock.child.kill();
  }

  // PR-tier conformance wall time.
  const prTier = await conformanceRun({});
  results['PR-tier npm run conformance wall time (s, target <= 60)'] = +prTier.wall.toFixed(1);
  results['PR-tier conformance exit code'] = prTier.code;
}

/** What a request budget buys in coverage (and what the nightly workflow's budget does). */
async function coverageByBudget(): Promise<string> {
  const rows: string[][] = [];
  const runs: [string, Record<string, string>][] = [
    ...BUDGETS.map((b): [string, Record<string, string>] => [String(b), { CONFORMANCE_BUDGET: String(b) }]),
    ['none (PR tier)', {}],
    // What the nightly workflow runs.
    ['24000 (nightly profile)', { CONFORMANCE_BUDGET: '24000', CONFORMANCE_PROFILE: 'nightly', CONFORMANCE_SEED: '424242' }],
  ];
  for (const [name, env] of runs) {
    process.stderr.write(`bench: coverage, a conformance run with budget ${name}...\n`);
    const r = await conformanceRun(env);
    const c = JSON.parse(readFileSync(`${BENCH_REPORTS}/latest/coverage.json`, 'utf8')) as CoverageReport;
    const cell = (k: keyof CoverageReport['criteria']) => `${c.criteria[k][0]}/${c.criteria[k][1]}`;
    rows.push([name, String(c.requests), `TCL${c.level}`, cell('operations'), cell('status codes'), cell('parameter values'), cell('response properties'), cell('operation flows'), `${c.keywords.bothWays}/${c.keywords.total}`, `${r.wall.toFixed(1)} s`, r.code === 0 ? 'pass' : `exit ${r.code}`]);
  }
  return ['## Coverage against requests spent (embedded mock, seed 424242)', markdownTable(['CONFORMANCE_BUDGET', 'requests', 'level', 'operations', 'status codes', 'parameter values', 'response properties', 'operation flows', 'input keywords both ways', 'wall', 'run'], rows)].join('\n\n');
}

/** How many of the self-check's faults each budget catches (each fault a run of its own). */
async function faultsByBudget(): Promise<string> {
  const faults = listFaults();
  const rows: string[][] = [];
  for (const budget of [...BUDGETS, undefined]) {
    process.stderr.write(`bench: faults, the self-check with budget ${budget ?? 'none'}...\n`);
    const t = performance.now();
    const scored = await scoreFaults(faults, budget);
    const missed = scored.filter((r) => !r.caught.length).map((r) => r.fault);
    rows.push([budget ? String(budget) : 'none', `${scored.length - missed.length}/${scored.length}`, missed.join(', ') || '–', `${((performance.now() - t) / 1000).toFixed(0)} s`]);
  }
  return ['## Self-check faults caught per budget (each fault a run of its own)', markdownTable(['budget', 'caught', 'missed', 'time'], rows)].join('\n\n');
}

/** The nightly profile, unbudgeted, on the embedded mock: throughput and CPU per 1,000 requests. */
async function nightly(results: Results): Promise<void> {
  const run = await conformanceRun({ CONFORMANCE_PROFILE: 'nightly', CONFORMANCE_SEED: '424242' });
  const sent = Number(/requests: (\d+) sent/.exec(run.out)?.[1] ?? 0);
  results['nightly profile on the mock: requests'] = sent;
  results['nightly profile on the mock: wall time (s)'] = +run.wall.toFixed(1);
  results['nightly profile on the mock: requests/s'] = Math.round(sent / run.wall);
  results['nightly profile on the mock: CPU s per 1000 requests (whole process tree)'] = +((run.cpu / sent) * 1000).toFixed(2);
  results['nightly profile on the mock: exit code'] = run.code;
}

const SECTIONS = ['speed', 'coverage', 'faults', 'nightly'] as const;
const USAGE = `usage: npm run bench -- [--only ${SECTIONS.join('|')}[,...]]`;

function parseArgs(argv: string[]): Set<string> {
  if (!argv.length) return new Set(SECTIONS);
  const [flag, value] = argv;
  const only = flag === '--only' && value ? value.split(',') : undefined;
  if (!only || argv.length > 2) throw new UserError(`unknown or incomplete option ${argv.join(' ')}; ${USAGE}`);
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new UserError(`no bench section ${s}; ${USAGE}`);
  return new Set(only);
}

main('bench', async () => {
  const only = parseArgs(process.argv.slice(2));
  const results: Results = {};
  const tables: string[] = [];
  if (only.has('speed')) {
    process.stderr.write('bench: speed (property loop, servers under load, validation, the PR-tier run)...\n');
    await speed(results);
  }
  if (only.has('coverage')) tables.push(await coverageByBudget());
  if (only.has('faults')) tables.push(await faultsByBudget());
  if (only.has('nightly')) {
    process.stderr.write('bench: the nightly profile on the mock...\n');
    await nightly(results);
  }

  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', JSON.stringify(results, null, 2));
  const width = Math.max(0, ...Object.keys(results).map((k) => k.length));
  const text = tables.join('\n\n');
  writeFileSync('reports/bench.md', `# Bench\n\n${Object.entries(results).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n\n${text}\n`);
  process.stdout.write(`${Object.entries(results).map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n\n${text}\n(reports/bench.md, reports/bench.json)\n`);
  return 0;
});
