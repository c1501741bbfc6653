import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { messageOf, UserError } from '../../model/errors';

export const SDK_DIR = resolve('reports/sdk-gate/.sdk');

/** The package name of an SDK source: a directory's package.json, a tarball's, or a registry spec's name. */
function packageName(spec: string, source: string, local: boolean): string {
  if (!local) return spec.replace(/(.)@[^@/]*$/, '$1');
  if (statSync(source).isDirectory()) {
    const file = join(source, 'package.json');
    if (!existsSync(file)) throw new UserError(`${spec} is a directory without a package.json: give an SDK package directory, a tarball or a registry version`);
    return JSON.parse(readFileSync(file, 'utf8')).name;
  }
  // A tarball (npm pack): its package.json is package/package.json.
  try {
    return JSON.parse(execFileSync('tar', ['-xzOf', source, 'package/package.json'], { encoding: 'utf8' })).name;
  } catch {
    throw new UserError(`${spec} is neither a directory nor an npm package tarball (no package/package.json in it)`);
  }
}

/**
 * Installs an SDK (registry spec, tarball or local directory) into a scratch directory of its
 * own, never into the project's dependencies. A registry install is reused while its directory
 * exists; a local one is reinstalled when the file or directory changes.
 */
export function installSdk(spec: string): { dir: string; name: string; version: string; modulePath: string } {
  const local = existsSync(spec);
  const source = local ? resolve(spec) : spec;
  const name = packageName(spec, source, local);
  const stamp = local ? createHash('sha1').update(`${source} ${statSync(source).mtimeMs}`).digest('hex').slice(0, 8) : '';
  const dir = join(SDK_DIR, `${spec.replace(/[^A-Za-z0-9._-]+/g, '_')}${stamp ? `-${stamp}` : ''}`);
  const modulePath = join(dir, 'node_modules', name);
  if (!existsSync(join(modulePath, 'package.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', dir, source], { stdio: 'pipe', timeout: 120_000 });
    } catch (e) {
      const why = String((e as { stderr?: unknown }).stderr ?? messageOf(e)).split('\n').find((l) => /ERR|error/i.test(l) && !/nodedir/.test(l)) ?? 'npm install failed';
      throw new UserError(`cannot install SDK ${spec}: ${why.trim()}`);
    }
  }
  const version = JSON.parse(readFileSync(join(modulePath, 'package.json'), 'utf8')).version;
  return { dir, name, version, modulePath };
}
