import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process a run left behind, with the TCP ports it still listens on. */
export interface Leftover {
  pid: number;
  command: string;
  ports: number[];
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Listening TCP sockets of this machine, by socket inode (Linux /proc). */
function listeningInodes(): Map<string, number> {
  const out = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of read(table).split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // State 0A is LISTEN; the local address ends in the port, in hex.
      if (f[3] === '0A') out.set(f[9], Number.parseInt(f[1].split(':').at(-1)!, 16));
    }
  }
  return out;
}

/**
 * The processes still running whose environment carries `mark` (every process a run starts
 * inherits it), with the ports they listen on. Linux only; elsewhere, none is found.
 */
export function leftovers(mark: string): Leftover[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return [];
  }
  const listening = listeningInodes();
  const out: Leftover[] = [];
  for (const pid of pids) {
    if (!read(`/proc/${pid}/environ`).split('\0').includes(mark)) continue;
    const ports: number[] = [];
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && listening.has(inode)) ports.push(listening.get(inode)!);
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
    out.push({ pid: Number(pid), command: read(`/proc/${pid}/cmdline`).split('\0').join(' ').trim().slice(0, 160), ports });
  }
  return out;
}

/** Stops processes: SIGTERM, then SIGKILL for any still there a second later. */
export function stop(pids: number[]): void {
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // Already gone.
      }
    }
  };
  signal('SIGTERM');
  spawnSync('sleep', ['1']);
  signal('SIGKILL');
}

/**
 * How much slower than a quiet 2-core machine this one runs now: a tsx start-up timed three
 * times (median), against the 0.3 s it takes on a quiet one; 1 to 8. Tests scale their time
 * budgets by it, so a loaded machine slows them down without failing them.
 */
export function measurePace(): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, [require.resolve('tsx/cli'), '-e', ''], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const median = times.sort((a, b) => a - b)[1];
  return Math.min(8, Math.max(1, Math.round((median / 0.3) * 10) / 10));
}
