import { valueAt } from '../model/spec/pointer';
import { driftKey } from './drift/observe';
import { describeErrors } from '../model/validators';
import { documentedResponse, isJsonContentType } from './response-util';
import { defineCheck } from './types';

export default defineCheck({
  id: 'response_schema_conformance',
  title: 'Body matches the response schema',
  severity: 'critical',
  restsOn: 'the spec: the schema of each documented response',
  judged: { everyAnswer: 'every answer' },
  description: 'The body of a documented response validates against its schema (ajv, JSON Schema 2020-12), error bodies against ApiError.',
  run(ex, ctx) {
    const doc = ex.operation ? documentedResponse(ex) : undefined;
    // Undocumented statuses and non-JSON bodies are reported by their own checks.
    if (!doc?.schemaPointer || !isJsonContentType(ex.response.headers['content-type'])) return;
    if (ex.response.json === undefined) {
      return { message: ex.response.text ? `body is not JSON: ${ex.response.jsonError}` : 'body is empty', expected: doc.schemaName };
    }
    const validate = ctx.validators.at(doc.schemaPointer);
    if (validate(ex.response.json)) return;
    const op = ex.operation!;
    return describeErrors(validate.errors, ctx.validators.locate).map((e) => {
      const actual = valueAt(ex.response.json, e.pointer);
      // A null where the schema has none, or an unknown enum value, is drift a baseline may accept.
      const kind = e.keyword === 'type' && actual === null ? 'null_in_non_nullable' : e.keyword === 'enum' ? 'enum_value_outside' : undefined;
      const at = e.pointer === '/' ? '' : e.pointer.replace(/\/\d+(?=\/|$)/g, '/[]');
      return {
        message: `${doc.schemaName ?? 'body'}${e.pointer === '/' ? '' : e.pointer} ${e.message}`,
        pointer: e.pointer,
        expected: doc.schemaName,
        actual,
        rule: e.schemaLocation ?? `${doc.schemaPointer}${e.pointer}`,
        basis: 'spec' as const,
        ...(kind ? { driftKey: driftKey(op.id, ex.response.status, kind, at) } : {}),
      };
    });
  },
});

