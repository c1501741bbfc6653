import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a run found as a whole (its defects, drift, coverage) goes into the Allure report as
 * global errors and attachments, which its home page shows, not as test cases: the report's
 * test counts are the run's tests, the same as the terminal's and JUnit's. Files carry a prefix,
 * so that merging shards drops each shard's and writes the whole run's.
 */
const PREFIX = 'polytomic-derived-';

export const isDerivedFile = (file: string) => file.startsWith(PREFIX);

export interface GlobalAttachment {
  name: string;
  body: string;
  contentType: string;
  extension: string;
}

export function writeGlobals(allureDir: string, what: { errors?: { message: string; trace?: string }[]; attachments?: GlobalAttachment[] }): void {
  mkdirSync(allureDir, { recursive: true });
  const timestamp = Date.now();
  const attachments = (what.attachments ?? []).map((a) => {
    const source = `${PREFIX}${randomUUID()}-attachment.${a.extension}`;
    writeFileSync(join(allureDir, source), a.body);
    return { name: a.name, type: a.contentType, source, timestamp };
  });
  const errors = (what.errors ?? []).map((e) => ({ ...e, timestamp }));
  writeFileSync(join(allureDir, `${PREFIX}${randomUUID()}-globals.json`), JSON.stringify({ attachments, errors }));
}
