import { messageOf } from '../../model/errors';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../model/errors';

export const SDK_DIR = resolve('reports/sdk-gate/.sdk');

/**
 * Installs an SDK (registry spec, tarball or local directory) into a scratch directory of its
 * own, never into the project's dependencies; an install is reused while its directory exists.
 */
export function installSdk(spec: string): { dir: string; name: string; version: string; modulePath: string } {
  const local = existsSync(spec);
  const source = local ? resolve(spec) : spec;
  const name = local ? JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).name : spec.replace(/@[^@/]*$/, '') || spec;
  const dir = join(SDK_DIR, spec.replace(/[^A-Za-z0-9._-]+/g, '_'));
  const modulePath = join(dir, 'node_modules', name);
  if (local || !existsSync(modulePath)) {
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
