import type { Contracts } from '../../model/contracts';
import { matchPath, type Operation, type Spec } from '../../model/spec/load';
import type { Validators } from '../../model/validators';
import type { WireRequest } from './server';

export interface RequestFinding {
  rule: string;
  blocking: boolean;
  message: string;
}

/**
 * Judges one request an SDK sent against the spec: route and method, path, query and header
 * parameters, version header, credential scheme, JSON body.
 */
export function validateRequest(spec: Spec, validators: Validators, contracts: Contracts, r: WireRequest): { operation?: Operation; findings: RequestFinding[] } {
  const findings: RequestFinding[] = [];
  const f = (rule: string, blocking: boolean, message: string) => findings.push({ rule, blocking, message });
  const match = matchPath(spec, r.path);
  if (!match) {
    f('unknown_route', true, `${r.method} ${r.path} is not a route of the spec`);
    return { findings };
  }
  const op = spec.operations.find((o) => o.path === match.path && o.method === r.method.toLowerCase());
  if (!op) {
    f('undeclared_method', true, `${r.method} ${match.path} is not declared (the spec has ${(spec.methodsByPath.get(match.path) ?? []).join(', ').toUpperCase()})`);
    return { findings };
  }
  for (const p of op.params) {
    const value = p.in === 'path' ? match.params[p.name] : p.in === 'query' ? r.query[p.name] : r.headers[p.name.toLowerCase()];
    if (value === undefined) {
      if (p.required) f('missing_parameter', true, `${op.id}: required ${p.in} parameter ${p.name} missing`);
      continue;
    }
    const typed = p.schema?.type === 'boolean' ? (value === 'true' ? true : value === 'false' ? false : value) : value;
    const issues = validators.check(p.schemaPointer, typed);
    if (issues.length) f('invalid_parameter', true, `${op.id}: ${p.in} parameter ${p.name}=${JSON.stringify(value)} ${issues[0].message}`);
  }
  const version = r.headers['x-polytomic-version'];
  if (version === undefined) f('version_header_missing', false, `${op.id}: no X-Polytomic-Version; the server default (${contracts.profile.accepted('default_version').join(' or ')}) applies`);
  else if (!contracts.invariants.versions.supported.includes(version)) f('version_header_unsupported', true, `${op.id}: X-Polytomic-Version ${version} is not supported`);
  const scheme = (r.headers.authorization ?? '').split(' ')[0].toLowerCase();
  const wanted: string[] = op.credentials.map((c) => (c === 'org_basic' ? 'basic' : 'bearer'));
  if (!wanted.includes(scheme)) f('credential_scheme', true, `${op.id}: Authorization scheme "${scheme || 'none'}", expected ${[...new Set(wanted)].join(' or ')}`);
  if (/^Bearer (undefined|null)?$/.test(r.headers.authorization ?? '')) f('credential_missing', true, `${op.id}: the SDK sent "${r.headers.authorization}"`);
  if (op.requestBody) {
    if (!r.body) {
      if (op.requestBody.required) f('body_missing', true, `${op.id}: no request body`);
    } else {
      if (!/^application\/json/.test(r.headers['content-type'] ?? '')) f('body_content_type', true, `${op.id}: body sent as ${r.headers['content-type'] ?? 'no Content-Type'}`);
      let json: unknown;
      try {
        json = JSON.parse(r.body);
      } catch {
        f('body_not_json', true, `${op.id}: body is not JSON`);
      }
      if (json !== undefined) {
        const issues = validators.check(op.requestBody.schemaPointer, json);
        if (issues.length) f('invalid_body', true, `${op.id}: body ${issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
      }
    }
  }
  return { operation: op, findings };
}
