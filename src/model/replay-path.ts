import { UserError } from './errors';

/**
 * fast-check's replay paths are colon-separated shrink indices, often long runs of one value
 * (`0:0:0:...`). A replay command is read and pasted by people: runs of three or more are written
 * `0*97`, and expanded again when the command is run.
 */
export function compressPath(path: string): string {
  const parts = path.split(':');
  const out: string[] = [];
  for (let i = 0; i < parts.length; ) {
    let j = i;
    while (j < parts.length && parts[j] === parts[i]) j++;
    const n = j - i;
    if (n >= 3) out.push(`${parts[i]}*${n}`);
    else out.push(...parts.slice(i, j));
    i = j;
  }
  return out.join(':');
}

/** The fast-check path a (possibly compressed) replay path stands for; a malformed one is a user mistake. */
export function expandPath(path: string, name: string): string {
  const parts: string[] = [];
  for (const p of path.split(':')) {
    const m = /^(\d+)(?:\*(\d+))?$/.exec(p);
    if (!m) throw new UserError(`${name}=${path} is not a replay path (numbers joined by ':', as printed with a failure); copy it from the failure's replay command`);
    const n = m[2] === undefined ? 1 : Number(m[2]);
    if (n < 1 || n > 100_000) throw new UserError(`${name}=${path}: the repeat ${p} is out of range; copy the path from the failure's replay command`);
    for (let k = 0; k < n; k++) parts.push(m[1]);
  }
  return parts.join(':');
}
