import { documentedResponse, isJsonContentType } from './response-util';
import { defineCheck } from './types';

export default defineCheck({
  id: 'content_type_conformance',
  title: 'Content-Type is JSON',
  severity: 'critical',
  restsOn: 'the spec: every documented body is application/json; a response documented without one has none',
  judged: { everyAnswer: 'every answer' },
  description:
    'A response with a body declares a JSON Content-Type, charset or not (the SDKs turn any other type into a generic error); a response documented without a body has none.',
  run(ex) {
    const { response } = ex;
    const contentType = response.headers['content-type'];
    const doc = ex.operation ? documentedResponse(ex) : undefined;
    const rule = { rule: doc && !doc.schemaPointer ? 'no body where none is documented' : 'answers with a body are JSON', basis: 'spec' as const };
    if (doc && !doc.schemaPointer) {
      if (response.text.length > 0) return { message: `status ${response.status} is documented without a body, got ${response.text.length} bytes`, actual: contentType, ...rule };
      return;
    }
    if (response.text.length === 0 && (response.status === 204 || doc?.bodyOptional)) return;
    if (!isJsonContentType(contentType)) {
      return { message: `Content-Type is ${contentType ?? 'missing'}, expected application/json`, expected: 'application/json', actual: contentType ?? null, ...rule };
    }
  },
});
