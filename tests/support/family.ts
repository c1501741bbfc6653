import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_SPEC } from '../../src/model/spec/load';
import type { Node } from '../../src/model/spec/pointer';
import { loadContracts } from '../../src/model/contracts';

/**
 * A resource family added the way the README's recipe says: an edit of a copy of the spec (paths,
 * schemas, an `x-resources` entry) and of the contracts (questions and their answers), nothing in
 * `src/`. The mock serves it from the spec (mock/generic.ts), with the family's own rule.
 */
export interface Family {
  kind: string;
  /** The routes' base: `/api/organizations/{org_id}/<plural>`, or `/api/<plural>` (the container in the body). */
  collection: string;
  entity: Node;
  request: Node;
  resource: Node;
  questions?: Record<string, Node>;
  answers?: Record<string, Node>;
  /** Rules of a kind the engine judges (contracts/invariants.yaml), added by name. */
  invariants?: Record<string, Node>;
}

const VERSION = { 'X-Polytomic-Version': { required: true, schema: { type: 'string' } } };
const error = (d: string) => ({ description: d, headers: VERSION, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } });

/** Writes the spec and contracts copies with the family added; returns their paths. */
export function addFamily(dir: string, f: Family): { spec: string; contracts: string } {
  const doc: Node = parse(readFileSync(DEFAULT_SPEC, 'utf8'));
  const K = f.kind[0].toUpperCase() + f.kind.slice(1);
  doc.components.schemas[K] = f.entity;
  doc.components.schemas[`${K}Request`] = f.request;
  doc.components.schemas[`${K}Envelope`] = { type: 'object', properties: { data: { $ref: `#/components/schemas/${K}` } } };
  doc.components.schemas[`${K}ListEnvelope`] = { type: 'object', properties: { data: { type: 'array', items: { $ref: `#/components/schemas/${K}` } } } };
  const ok = (schema: string) => ({ description: 'OK', headers: VERSION, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });
  const errors = { '400': error('Bad Request'), '401': error('Unauthorized'), '404': error('Not Found'), '409': error('Conflict'), '422': error('Unprocessable'), '500': error('Internal') };
  const version = { $ref: '#/components/parameters/Version' };
  const scoped = f.collection.includes('{org_id}');
  const pathParams = scoped ? [{ $ref: '#/components/parameters/OrgId' }] : [];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, 'x-resource': f.kind, 'x-rejected-as': 'malformed_id_status' };
  const body = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${K}Request` } } } };
  const tags = [f.kind];
  doc.paths[f.collection] = {
    parameters: pathParams,
    get: { operationId: `${f.kind}s_list`, tags, 'x-area': `${K}s`, parameters: [version], responses: { '200': ok(`${K}ListEnvelope`), ...errors } },
    post: { operationId: `${f.kind}s_create`, tags, 'x-area': `${K}s`, parameters: [version], requestBody: body, responses: { '200': ok(`${K}Envelope`), ...errors } },
  };
  doc.paths[`${f.collection}/{id}`] = {
    parameters: [...pathParams, idParam],
    get: { operationId: `${f.kind}s_get`, tags, 'x-area': `${K}s`, parameters: [version], responses: { '200': ok(`${K}Envelope`), ...errors } },
    put: { operationId: `${f.kind}s_update`, tags, 'x-area': `${K}s`, parameters: [version], requestBody: body, responses: { '200': ok(`${K}Envelope`), ...errors } },
    delete: { operationId: `${f.kind}s_delete`, tags, 'x-area': `${K}s`, parameters: [version], responses: { '200': ok(`${K}Envelope`), ...errors } },
  };
  doc['x-resources'][f.kind] = { entity: K, ...f.resource, routes: [{ create: `${f.kind}s_create`, read: `${f.kind}s_get`, list: `${f.kind}s_list`, update: `${f.kind}s_update`, delete: `${f.kind}s_delete` }] };
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, stringify(doc, { aliasDuplicateObjects: false }));
  const contracts = join(dir, 'contracts');
  cpSync(loadContracts().dir, contracts, { recursive: true });
  if (f.invariants) {
    const inv = join(contracts, 'invariants.yaml');
    writeFileSync(inv, `${readFileSync(inv, 'utf8')}\n${stringify(f.invariants)}`);
  }
  if (f.questions) {
    const q = join(contracts, 'questions.yaml');
    writeFileSync(q, `${readFileSync(q, 'utf8')}\n${stringify(f.questions)}`);
    for (const profile of ['embedded', 'polytomic']) {
      const p = join(contracts, 'targets', `${profile}.yaml`);
      const y: Node = parse(readFileSync(p, 'utf8'));
      Object.assign(y.answers, f.answers);
      writeFileSync(p, stringify(y));
    }
  }
  return { spec, contracts };
}
