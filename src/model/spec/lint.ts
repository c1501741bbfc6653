import Ajv2020 from 'ajv/dist/2020';
import { HTTP_METHODS } from './load';
import { escapeToken, resolvePointer, type Node } from './pointer';

export interface LintProblem {
  pointer: string;
  rule: 'duplicate-operation-id' | 'undeclared-path-parameter' | 'unused-path-parameter' | 'invalid-schema' | 'unresolved-ref';
  message: string;
}

/** Every schema location of an OpenAPI 3.1 document, with its pointer. */
function* schemaLocations(doc: Node): Generator<[string, Node]> {
  for (const [name, s] of Object.entries<Node>(doc.components?.schemas ?? {})) yield [`#/components/schemas/${escapeToken(name)}`, s];
  for (const [name, p] of Object.entries<Node>(doc.components?.parameters ?? {})) if (p.schema) yield [`#/components/parameters/${escapeToken(name)}/schema`, p.schema];
  for (const [name, h] of Object.entries<Node>(doc.components?.headers ?? {})) if (h.schema) yield [`#/components/headers/${escapeToken(name)}/schema`, h.schema];
  const content = function* (base: string, c: Node): Generator<[string, Node]> {
    for (const [type, media] of Object.entries<Node>(c ?? {})) if (media?.schema) yield [`${base}/content/${escapeToken(type)}/schema`, media.schema];
  };
  for (const [name, r] of Object.entries<Node>(doc.components?.responses ?? {})) yield* content(`#/components/responses/${escapeToken(name)}`, r.content);
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    const base = `#/paths/${escapeToken(path)}`;
    for (const [i, p] of (item.parameters ?? []).entries()) if (p.schema) yield [`${base}/parameters/${i}/schema`, p.schema];
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!op) continue;
      for (const [i, p] of (op.parameters ?? []).entries()) if (p.schema) yield [`${base}/${m}/parameters/${i}/schema`, p.schema];
      if (op.requestBody?.content) yield* content(`${base}/${m}/requestBody`, op.requestBody.content);
      for (const [status, r] of Object.entries<Node>(op.responses ?? {})) if (r.content) yield* content(`${base}/${m}/responses/${status}`, r.content);
    }
  }
}

/**
 * What swagger-parser's validation misses (it checks only the OpenAPI meta-schema): duplicate
 * operationIds, path template parameters that are not declared (or declared and not in the
 * template), schemas that are not valid JSON Schema 2020-12, and local `$ref`s that resolve to
 * nothing.
 */
export function lintSpec(doc: Node): LintProblem[] {
  const problems: LintProblem[] = [];
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    const inTemplate = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!op) continue;
      const at = `#/paths/${escapeToken(path)}/${m}`;
      if (op.operationId) {
        const prev = seen.get(op.operationId);
        if (prev) problems.push({ pointer: at, rule: 'duplicate-operation-id', message: `operationId ${op.operationId} is also used at ${prev}` });
        else seen.set(op.operationId, at);
      }
      const declared = new Set<string>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        let param = p;
        try {
          if (p.$ref) param = resolvePointer(doc, p.$ref);
        } catch {
          continue; // reported as an unresolved $ref below
        }
        if (param.in === 'path') declared.add(param.name);
      }
      for (const name of inTemplate) if (!declared.has(name)) problems.push({ pointer: at, rule: 'undeclared-path-parameter', message: `path parameter {${name}} of ${path} is not declared for ${m.toUpperCase()}` });
      for (const name of declared) if (!inTemplate.has(name)) problems.push({ pointer: at, rule: 'unused-path-parameter', message: `path parameter ${name} is declared but not in ${path}` });
    }
  }
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  for (const [pointer, schema] of schemaLocations(doc)) {
    if (!ajv.validateSchema(schema)) problems.push({ pointer, rule: 'invalid-schema', message: ajv.errorsText(ajv.errors) });
  }
  const refs = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) refs(n, `${at}/${i}`);
    }
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#')) {
          try {
            resolvePointer(doc, v);
          } catch {
            problems.push({ pointer: at, rule: 'unresolved-ref', message: `$ref ${v} resolves to nothing` });
          }
        } else refs(v, `${at}/${escapeToken(k)}`);
      }
    }
  };
  refs(doc, '#');
  return problems;
}
