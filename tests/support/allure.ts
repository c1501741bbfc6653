import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The test cases of an Allure results directory. */
export function allureCases(dir: string): { name: string; fullName: string; status: string; labels: { name: string; value: string }[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/** The global errors and attachments (by name) of an Allure results directory, as the report's home page shows them. */
export function allureGlobals(dir: string): { errors: { message: string; trace?: string }[]; attachments: { name: string; body: string }[] } {
  const out: ReturnType<typeof allureGlobals> = { errors: [], attachments: [] };
  for (const f of readdirSync(dir).filter((x) => x.endsWith('-globals.json'))) {
    const g = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    out.errors.push(...g.errors);
    out.attachments.push(...g.attachments.map((a: { name: string; source: string }) => ({ name: a.name, body: readFileSync(join(dir, a.source), 'utf8') })));
  }
  out.errors.sort((a, b) => a.message.localeCompare(b.message));
  return out;
}
