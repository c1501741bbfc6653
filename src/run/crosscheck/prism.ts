import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '../../target/http';

/** A Stoplight Prism 5.14.2 process (mock or validating proxy) on a free loopback port. */
export interface PrismProcess {
  url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/**
 * Does process `pid` hold the socket listening on `port`? (Linux: its fds against /proc/net/tcp.)
 * A free port found, then handed to Prism, may be taken meanwhile by another run's Prism: an
 * answer on it proves nothing until the listener is known to be ours. Elsewhere, assumed.
 */
function listensOn(pid: number, port: number): boolean {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return true;
  }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set(table.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A').map((f) => f[9]));
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false;
      }
    });
  } catch {
    return true;
  }
}

/**
 * Starts `prism mock <spec>` or `prism proxy <spec> <upstream>`. Prism is run silent (its
 * per-request logging costs much of its throughput), so readiness is polled; a port another
 * process took first is given up for another.
 */
export async function startPrism(args: { spec: string; upstream?: string; errors?: boolean }): Promise<PrismProcess> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startOn(await freePort(), args);
    if ('url' in started) return started;
    last = started.failed;
  }
  throw new Error(last);
}

async function startOn(port: number, args: { spec: string; upstream?: string; errors?: boolean }): Promise<PrismProcess | { failed: string }> {
  const cli = require.resolve('@stoplight/prism-cli/dist/index.js');
  const argv = args.upstream ? ['proxy', args.spec, args.upstream] : ['mock', args.spec];
  if (args.errors) argv.push('--errors');
  // Prism's CORS headers are its own, not the upstream's: the suite would rightly call them drift.
  argv.push('-p', String(port), '-h', '127.0.0.1', '-v', 'silent', '--cors=false');
  const child = spawn(process.execPath, [cli, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d).slice(-2000)));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 150))) {
    if (child.exitCode !== null) break;
    if ((await fetch(url).then(() => true, () => false)) && listensOn(child.pid!, port)) return { url, close };
  }
  await close();
  return { failed: `prism ${argv.slice(0, 2).join(' ')} did not start (it exited, or 30 s passed): ${stderr.trim() || 'no output'}` };
}

/** One finding of Prism's validator, as it writes them in `sl-violations` and problem bodies. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface PrismVerdict {
  /** Prism answered itself (a `https://stoplight.io/prism/errors#...` problem) instead of the upstream. */
  answeredByPrism: boolean;
  /** The problem type Prism answered with (`UNPROCESSABLE_ENTITY`, `UNAUTHORIZED`, `VIOLATIONS`...). */
  problem?: string;
  request: PrismViolation[];
  response: PrismViolation[];
  /** Prism had more to say than fits a header, so it cut the list short. */
  truncated: boolean;
}

const PROBLEM = 'https://stoplight.io/prism/errors#';
const TOO_MANY = 'Too many violations! ';

/**
 * Reads `sl-violations`. Past a length limit Prism writes `Too many violations! ` and the JSON
 * cut at that limit; the complete entries before the cut are kept.
 */
function parseViolationsHeader(header: string): { list: PrismViolation[]; truncated: boolean } {
  if (!header.startsWith(TOO_MANY)) return { list: JSON.parse(header), truncated: false };
  const text = header.slice(TOO_MANY.length);
  for (let end = text.lastIndexOf('},{'); end > 0; end = text.lastIndexOf('},{', end - 1)) {
    try {
      return { list: JSON.parse(`${text.slice(0, end + 1)}]`), truncated: true };
    } catch {
      // The cut fell inside a message that contains "},{": try the previous boundary.
    }
  }
  return { list: [], truncated: true };
}

/**
 * What Prism said of one exchange. Without `--errors` it forwards everything and lists its
 * violations in `sl-violations`; with `--errors` it answers invalid requests itself (422 or 401
 * problems listing request violations) and turns response violations into a 500 problem. In both
 * modes it answers a body that is not JSON itself, before validating anything.
 */
/** `versionHeader`: the API's version header (the invariants name it), which Prism's own answers lack. */
export function prismVerdict(res: HttpResponse, versionHeader = ''): PrismVerdict {
  const body = res.json as { type?: unknown; validation?: PrismViolation[]; error?: { code?: unknown } } | undefined;
  const header = parseViolationsHeader(res.headers['sl-violations'] ?? '[]');
  const found = header.list;
  let problem: string | undefined;
  if (typeof body?.type === 'string' && body.type.startsWith(PROBLEM)) {
    problem = body.type.slice(PROBLEM.length);
    // A 422/401 problem lists request violations without saying so; a 500 one says where.
    const side = problem === 'VIOLATIONS' ? [] : ['request'];
    for (const v of body.validation ?? []) found.push({ ...v, location: [...side, ...(v.location ?? [])] });
  } else if (res.status === 400 && body?.error?.code === 'invalid_json' && !res.headers[versionHeader.toLowerCase()]) {
    problem = 'invalid_json';
  }
  const errors = new Map(found.filter((v) => v.severity === 'Error').map((v) => [JSON.stringify(v), v]));
  return {
    answeredByPrism: problem !== undefined,
    problem,
    request: [...errors.values()].filter((v) => v.location[0] === 'request'),
    response: [...errors.values()].filter((v) => v.location[0] === 'response'),
    truncated: header.truncated,
  };
}
