import { citeInvariant } from '../model/contracts';
import { documentedResponse } from './response-util';
import { defineCheck, type Finding } from './types';

/** `2025-09-18, 2025-09-18` from a proxy that repeated the header is the one value it repeats. */
function single(value: string): string | undefined {
  const values = [...new Set(value.split(',').map((v) => v.trim()))];
  return values.length === 1 ? values[0] : undefined;
}

export default defineCheck({
  id: 'response_headers_conformance',
  title: 'Response headers conform',
  severity: 'normal',
  restsOn: 'invariant versions (the version header names what served the request) and the spec\'s response headers',
  judged: { everyAnswer: 'every answer' },
  description:
    "Every response names the API version that served it (the requested one, or the target profile's default_version; invariants.yaml versions), and the headers its documented response declares match their schemas.",
  run(ex, ctx) {
    const out: Omit<Finding, 'check'>[] = [];
    const { invariants, profile } = ctx.contracts;
    const name = invariants.versions.header;
    const served = ex.response.headers[name.toLowerCase()];
    const requested = Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const cite = citeInvariant(invariants, 'versions');
    if (served === undefined) out.push({ message: `${name} header missing`, ...cite });
    else {
      const value = single(served);
      if (value === undefined) out.push({ message: `${name} names several versions: ${served}`, actual: served, ...cite });
      else if (requested === undefined) {
        if (!profile.accepts('default_version', value)) out.push({ message: `without ${name} the answer came from version ${value}, expected ${profile.accepted('default_version').join(' or ')}`, actual: value, ...profile.cite('default_version') });
      } else if (invariants.versions.supported.includes(requested) && value !== requested) {
        out.push({ message: `${name} is ${value}, expected the requested ${requested}`, expected: requested, actual: value, ...cite });
      }
    }
    const doc = ex.operation ? documentedResponse(ex) : undefined;
    for (const h of doc?.headers ?? []) {
      const value = ex.response.headers[h.name.toLowerCase()];
      // Presence is judged where the spec says it is required; whether a header that answers an
      // open question must be there is the profile's to say (answers_match_profile).
      if (value === undefined) {
        if (h.required && !h.question) out.push({ message: `required header ${h.name} missing on ${ex.response.status}`, rule: `${h.schemaPointer.replace(/\/schema$/, '')}`, basis: 'spec' });
        continue;
      }
      const validate = ctx.validators.at(h.schemaPointer);
      // Header values are strings on the wire; an integer-typed header is validated as a number.
      // A header a proxy repeated arrives as one value joined by commas: the value repeated is the value.
      const one = validate(value) ? value : (single(value) ?? value);
      const ok = validate(one) || (/^-?\d+(\.\d+)?$/.test(one) && validate(Number(one)));
      if (!ok) out.push({ message: `header ${h.name}: ${JSON.stringify(value)} does not match its schema`, actual: value, rule: h.schemaPointer, basis: 'spec' });
    }
    return out;
  },
});
