import type { Contracts } from '../../model/contracts';
import { matchPath, type Operation, type Spec, schemeKinds } from '../../model/spec/load';
import type { ValidationIssue, Validators } from '../../model/validators';
import type { WireRequest } from './server';

/**
 * Issues of a constraint no source states (`x-assumptions`) block only where the target profile
 * says the server enforces it, as a run sends such a request only there: elsewhere the SDK may
 * well be right, and it is a note.
 */
function bySeverity(issues: ValidationIssue[], contracts: Contracts): { blocking: ValidationIssue[]; assumed: ValidationIssue[] } {
  const enforced = (i: ValidationIssue) => !i.assumption || contracts.profile.only(i.assumption, 'enforced');
  return { blocking: issues.filter(enforced), assumed: issues.filter((i) => !enforced(i)) };
}

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
  // The version header is judged once, by its own rules below (one cause, one finding).
  const versionHeader = contracts.invariants.versions.header.toLowerCase();
  for (const p of op.params) {
    if (p.in === 'header' && p.name.toLowerCase() === versionHeader) continue;
    const value = p.in === 'path' ? match.params[p.name] : p.in === 'query' ? r.query[p.name] : r.headers[p.name.toLowerCase()];
    if (value === undefined) {
      if (p.required) f('missing_parameter', true, `${op.id}: required ${p.in} parameter ${p.name} missing`);
      continue;
    }
    const typed = p.schema?.type === 'boolean' ? (value === 'true' ? true : value === 'false' ? false : value) : value;
    const { blocking, assumed } = bySeverity(validators.check(p.schemaPointer, typed), contracts);
    if (blocking.length) f('invalid_parameter', true, `${op.id}: ${p.in} parameter ${p.name}=${JSON.stringify(value)} ${blocking[0].message}`);
    if (assumed.length) f('assumed_constraint', false, `${op.id}: ${p.in} parameter ${p.name}=${JSON.stringify(value)} ${assumed[0].message}, which rests on ${assumed[0].assumption}: the target profile does not say the server enforces it`);
  }
  const version = r.headers[versionHeader];
  const header = contracts.invariants.versions.header;
  // Without it the server's default serves the call: a version the build was not made for, where the profile allows another.
  if (version === undefined) f('version_header_missing', !contracts.profile.only('default_version', String(spec.doc.info?.version)), `${op.id}: no ${header}; the server default (${contracts.profile.accepted('default_version').join(' or ')}) serves it, not ${spec.doc.info?.version}`);
  else if (!contracts.invariants.versions.supported.includes(version)) f('version_header_unsupported', true, `${op.id}: ${header} ${version} is not supported`);
  const scheme = (r.headers.authorization ?? '').split(' ')[0].toLowerCase();
  const schemes = [...schemeKinds(spec.doc).values()];
  const wanted: string[] = op.credentials.map((c) => schemes.find((s) => s.kind === c)?.http ?? 'bearer');
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
        const { blocking, assumed } = bySeverity(validators.check(op.requestBody.schemaPointer, json), contracts);
        if (blocking.length) f('invalid_body', true, `${op.id}: body ${blocking.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
        if (assumed.length) f('assumed_constraint', false, `${op.id}: body ${assumed.map((i) => `${i.pointer} ${i.message} (rests on ${i.assumption})`).join('; ')}: the target profile does not say the server enforces it`);
      }
    }
  }
  return { operation: op, findings };
}
