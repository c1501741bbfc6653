import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from './errors';
import { tokensOf } from './spec/pointer';
import { didYouMean } from './text';

// verbose: errors carry the schema and data they are about, for the messages below.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Where a value sits in a file, as a reader would write it (`answers.org_delete_status.accept`). */
function place(instancePath: string): string {
  return tokensOf(instancePath).join('.');
}

/** One line that says what is wrong with a value, where, and what would be right. */
export function describeSchemaError(e: ErrorObject): string {
  const at = place(e.instancePath);
  const where = at ? `${at}: ` : '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return `${where}unknown key "${key}"${known.length ? didYouMean(key, known) : ''}`;
    }
    case 'required':
      return `${where}"${p.missingProperty}" is missing`;
    case 'enum':
      return `${where}${JSON.stringify(e.data)} is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'oneOf':
      return `${where}${e.message} (${(e.parentSchema as { description?: string })?.description ?? 'see the file header'})`;
    default:
      return `${where}${e.message}`;
  }
}

const RANK: Record<string, number> = { additionalProperties: 0, oneOf: 1 };

/**
 * The error that says most: a misspelt key (whose misspelling also makes its right spelling
 * "missing") before a choice between keys, before anything else; errors inside a `oneOf` branch
 * only restate the `oneOf` itself.
 */
export function bestError(errors: ErrorObject[]): ErrorObject {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const telling = errors.filter((e) => !(e.schemaPath.includes('/oneOf/') && oneOfAt.has(e.instancePath)));
  return [...telling].sort((a, b) => (RANK[a.keyword] ?? 2) - (RANK[b.keyword] ?? 2))[0] ?? errors[0];
}

/**
 * Reads a YAML (or JSON) file and checks it against a JSON Schema: a mistake is one line naming
 * the file, the place in it and the fix.
 */
export function readCheckedYaml<T>(file: string, schema: object, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${what} not found: ${file}`);
  }
  const name = relative(process.cwd(), file) || file;
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new UserError(`${name} is not valid YAML: ${String((e as Error).message).split('\n')[0]}`);
  }
  const validate = validatorFor(schema);
  if (!validate(data)) throw new UserError(`${name}: ${describeSchemaError(bestError(validate.errors!))}`);
  return data as T;
}
