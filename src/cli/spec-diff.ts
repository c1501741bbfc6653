import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffMarkdown, diffSpecs } from '../model/spec/diff';
import { UserError } from '../model/errors';
import { loadSpec } from '../model/spec/load';
import { main } from './run';

const USAGE = 'usage: npm run spec:diff -- OLD.yaml NEW.yaml [--out DIR]';

/**
 * `npm run spec:diff -- OLD NEW`: classifies every change between two OpenAPI documents as
 * breaking or not for clients. Exit 1 on a breaking change, 0 otherwise, 2 on a usage mistake.
 */
main('spec:diff', async () => {
  const args = process.argv.slice(2);
  let out = 'reports';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = args[++i];
    else if (args[i].startsWith('-')) throw new UserError(`unknown option ${args[i]}; ${USAGE}`);
    else files.push(args[i]);
  }
  if (files.length !== 2) throw new UserError(`two spec files are needed; ${USAGE}`);
  const [oldSpec, newSpec] = files.map((f) => loadSpec(f));
  const changes = diffSpecs(oldSpec, newSpec);
  const breaking = changes.filter((c) => c.breaking).length;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'spec-diff.json'), JSON.stringify({ old: files[0], new: files[1], breaking, changes }, null, 2));
  writeFileSync(join(out, 'spec-diff.md'), diffMarkdown(files[0], files[1], changes));
  process.stdout.write(`spec:diff: ${breaking} breaking, ${changes.length - breaking} non-breaking change(s) (${join(out, 'spec-diff.md')})\n`);
  return breaking ? 1 : 0;
});
