import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The code passes its linter (Biome: recommended rules, no `any`, no import cycles, layers that
 * point one way, declared dependencies only, no Playwright private API; see biome.jsonc) and its
 * type checker. Tests run through tsx, which strips
 * types without checking them: without this, a type error would pass `npm test`.
 */
const bin = (name: string) => join(process.cwd(), 'node_modules', '.bin', name);

for (const [what, cmd, args] of [
  ['biome lint', bin('biome'), ['lint', '--max-diagnostics=20']],
  ['tsc --noEmit', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
] as const) {
  test(`${what} finds nothing`, () => {
    const r = spawnSync(cmd, [...args], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
}
