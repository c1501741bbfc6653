import { spawn } from 'node:child_process';
import { projectPath } from '../model/paths';
import { main } from './run';

/**
 * `npm run typecheck`: the TypeScript compiler over the whole project (tsx runs code without
 * checking its types; `npm test` runs this too). Says what it is doing, since it is silent for
 * a while on a loaded machine.
 */
main('typecheck', async () => {
  const started = Date.now();
  process.stderr.write('typecheck: tsc -p tsconfig.json --noEmit (src, mock, tests)...\n');
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, [projectPath('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
    child.on('exit', (c) => done(c ?? 1));
  });
  process.stderr.write(`typecheck: ${code === 0 ? 'no type errors' : 'type errors above'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return code;
});
