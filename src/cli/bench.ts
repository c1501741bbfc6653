import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startPrism } from '../run/crosscheck/prism';
import { operationProperty } from '../run/properties/operation';
import { DEFAULT_SPEC } from '../model/spec/load';
import { withoutSuiteSettings } from '../model/config';
import type { SuiteEnv } from '../run/env';
import { World } from '../run/generation/world';
import { buildRequest } from '../target/target';
import { EMBEDDED_KEYS } from '../run/embedded';
import { judgedSandbox } from '../run/judged-sandbox';
import { openSession } from '../run/session';
import { perform } from '../run/session';
import { main } from './run';

/**
 * `npm run bench`: the figures the suite promises, as ratios measured side by side in one run
 * (absolute times vary from machine to machine).
 */
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

main('bench', async () => {
  const tsx = [process.execPath, require.resolve('tsx/cli')];
  const results: Record<string, number | string> = {};
  const mock = await startProcess([...tsx, 'mock/cli.ts'], /listening on (http:\/\/\S+)/, { PORT: '0' });
  const auth = { Authorization: `Bearer ${EMBEDDED_KEYS.partner}`, 'X-Polytomic-Version': '2025-09-18' };
  try {
    // 1. Property loop vs bare loop, same mock, alternated three times.
    const target = openSession('bench', { POLYTOMIC_BASE_URL: mock.url, POLYTOMIC_PARTNER_KEY: EMBEDDED_KEYS.partner, CONFORMANCE_RPS: '0', CONFORMANCE_RUN_ID: 'bench-run' });
    const { sb } = judgedSandbox(target, 'b');
    const world = new World(sb, target);
    const user = await world.instance('user');
    const env: SuiteEnv = { target, sb, world, send: (r, p, i) => perform(target, r, buildRequest(target, r, p), i) };
    const op = target.spec.byId.get('users_get')!;
    const prop: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < 3; round++) {
      bare.push(await bareLoop(mock.url, `/api/organizations/${user.within!.id}/users/${user.id}`, auth, N));
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

    // 4. Cost of validating one response with the compiled validator.
    const v = target.validators;
    const list = target.spec.byId.get('users_list')!.responses.get('200')!.schemaPointer!;
    const body = { data: Array.from({ length: 10 }, (_, i) => ({ id: `3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f5${i}`, email: `u${i}@example.com`, organization_id: '3f8e2a10-6c1d-4e5b-9a7f-0b1c2d3e4f50', role_ids: null })) };
    const validate = v.at(list);
    for (let i = 0; i < 5000; i++) validate(body);
    const t = performance.now();
    for (let i = 0; i < 100_000; i++) validate(body);
    results['validate one 10-user list response (µs)'] = +(((performance.now() - t) * 1000) / 100_000).toFixed(2);
  } finally {
    mock.child.kill();
  }

  // 3. PR-tier conformance wall time.
  const t = performance.now();
  const code = await new Promise<number>((ok) => spawn('npm', ['run', '--silent', 'conformance'], { stdio: 'ignore', env: withoutSuiteSettings() }).on('exit', (c) => ok(c ?? 1)));
  results['PR-tier npm run conformance wall time (s, target <= 60)'] = +((performance.now() - t) / 1000).toFixed(1);
  results['PR-tier conformance exit code'] = code;

  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', JSON.stringify(results, null, 2));
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  process.stdout.write(`${Object.entries(results).map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n(reports/bench.json)\n`);
  return 0;
});
