import { documentedResponse } from './response-util';
import { defineCheck, type Finding } from './types';

export default defineCheck({
  id: 'response_headers_conformance',
  title: 'Response headers conform',
  severity: 'normal',
  description:
    'Every response names the API version that served it (the requested one, or the contract default) and carries the headers its documented response requires (Retry-After on 429).',
  run(ex, ctx) {
    const out: Omit<Finding, 'check'>[] = [];
    const { choices, invariants } = ctx.contracts;
    const name = invariants.version_header.toLowerCase();
    const served = ex.response.headers[name];
    const requestedEntry = Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === name);
    const requested = requestedEntry?.[1];
    // An unsupported requested version is answered with an error that still names the version served.
    const expected = requested && choices.supported_versions.includes(requested) ? requested : requested ? undefined : choices.default_version;
    if (served === undefined) out.push({ message: `${invariants.version_header} header missing`, expected: expected ?? 'a version' });
    else if (expected && served !== expected) {
      out.push({ message: `${invariants.version_header} is ${served}, expected ${expected}`, expected, actual: served });
    }
    const doc = ex.operation ? documentedResponse(ex) : undefined;
    for (const h of doc?.headers ?? []) {
      const value = ex.response.headers[h.name.toLowerCase()];
      if (value === undefined) {
        if (h.required) out.push({ message: `required header ${h.name} missing on ${ex.response.status}` });
        continue;
      }
      const validate = ctx.validators.at(h.schemaPointer);
      // Header values are strings on the wire; an integer-typed header is validated as a number.
      const ok = validate(value) || (/^-?\d+(\.\d+)?$/.test(value) && validate(Number(value)));
      if (!ok) out.push({ message: `header ${h.name}: ${JSON.stringify(value)} does not match its schema`, actual: value });
    }
    return out;
  },
});

