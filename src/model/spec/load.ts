import { CONFIGURED_KEYS, isKeyName, type KeyName } from '../keys';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, messageOf } from '../errors';
import { escapeToken, followRefs, type Node, resolvePointer } from './pointer';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * A kind of credential, as a security scheme's `x-credential.kind` names it. Kinds are open: what
 * a run does with one is what its scheme says (which configured key it is made of, whether it acts
 * in an instance, or that it is minted).
 */
export type CredentialKind = string;

/** A security scheme's `x-credential`: what kind of credential it is and how the run gets one. */
export interface CredentialScheme {
  scheme: string;
  /** How it is sent (the security scheme's `scheme`). */
  http: 'bearer' | 'basic';
  kind: CredentialKind;
  /** The configured key it is made of (src/model/keys.ts), unless it is minted. */
  key?: KeyName;
  /** Minted keys: the operation that mints one for an instance, and where its answer carries the value. */
  mintedBy?: string;
  valuePointer?: string;
  /**
   * Basic credentials: `key`, the key is the user name (the password empty); else the resource
   * whose instance id is the user name, the key the password: the credential acts in that instance.
   */
  username?: string;
  /** The target profile's answers under which a valid request may use this credential (question -> answer). */
  usableWhen?: Record<string, string>;
  /**
   * What revokes a minted key: minting again with `byParam` true (the invariant saying so), a
   * minting without it (the question answering what it does), the deletion of its holder (the
   * invariant saying so).
   */
  revoked?: { byParam?: string; invariant?: string; otherwise?: string; withHolder?: string };
}

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** JSON pointer (into the raw document) of the parameter's schema. */
  schemaPointer: string;
  schema: Node;
  /** `x-rejected-as`: the open question whose answer is the status an invalid value gets. */
  rejectedAs?: string;
  /** `x-resource`: the kind of resource (spec `x-resources`) whose id this parameter carries. */
  resource?: string;
  /** `x-unique-per-request`: the server remembers values (an idempotency key), so each request needs its own. */
  uniquePerRequest: boolean;
  /**
   * `x-honoured-when`: the server reads the parameter at all only where the target profile gives
   * these answers (question -> answer); elsewhere a bad value of it is no mistake.
   */
  honouredWhen?: Record<string, string>;
}

/**
 * `x-question` on a response or a response header: what observing it answers about the target.
 * `answer`: this response is that answer (a status question). `bySchema`: the answer is the
 * candidate whose schema the body matches. `absent`: a header missing is that answer.
 */
export interface QuestionMark {
  id: string;
  answer?: string | number;
  bySchema?: Record<string, string>;
  absent?: string | number;
}

export interface ResponseHeaderSpec {
  name: string;
  required: boolean;
  schemaPointer: string;
  question?: QuestionMark;
}

export interface ResponseSpec {
  status: string;
  /** Where the response object is written (a `$ref`'d one: in components), and whether it declares headers there. */
  pointer: string;
  declaresHeaders: boolean;
  description: string;
  /** Pointer of the application/json schema, when the response has a body. */
  schemaPointer?: string;
  /** The component schema name the body is, when it is a plain $ref (e.g. `UserEnvelope`). */
  schemaName?: string;
  /** `x-body: optional`: the body may be absent (an empty 200 on delete, say). */
  bodyOptional: boolean;
  headers: ResponseHeaderSpec[];
  question?: QuestionMark;
}

/** `x-rejected-as` on a request body: the questions that give the status of each kind of bad body. */
export interface BodyRejection {
  /** A body that breaks a rule of its schema. */
  rule?: string;
  /** A body, or a field, of the wrong JSON type. */
  type?: string;
  /** A body that is not JSON. */
  syntax?: string;
}

export interface Operation {
  id: string;
  method: HttpMethod;
  /** Templated path, e.g. `/api/organizations/{org_id}/users/{id}`. */
  path: string;
  tag: string;
  /** Report epic, from `x-area`. */
  area: string;
  summary: string;
  pointer: string;
  params: ParamSpec[];
  requestBody?: {
    required: boolean;
    schemaPointer: string;
    schemaName?: string;
    rejectedAs: BodyRejection;
    /** The media type's `example`: the valid body sent first (its ids and marker replaced by the run's). */
    example?: Record<string, unknown>;
  };
  responses: Map<string, ResponseSpec>;
  /** Credential kinds accepted (any one of them), in the order the spec lists them. */
  credentials: CredentialKind[];
  /** `x-instance: fresh`: the resource the path names is made anew for each request (the request spends it). */
  freshInstance: boolean;
}

export interface Spec {
  file: string;
  version: string;
  doc: Node;
  operations: Operation[];
  byId: Map<string, Operation>;
  /** Declared methods per templated path. */
  methodsByPath: Map<string, HttpMethod[]>;
}

/** Follows `$ref` chains of a parameter, response or header; returns the node and the pointer it lives at. */
function deref(doc: Node, node: Node, pointer: string): { node: Node; pointer: string } {
  const r = followRefs(doc, node, pointer);
  return { node: r.node, pointer: r.at };
}

const schemesOfDoc = new WeakMap<object, Map<string, CredentialScheme>>();

/** The security schemes the spec marks with `x-credential`, by name (read once per document: every request asks). */
export function schemeKinds(doc: Node): Map<string, CredentialScheme> {
  let out = schemesOfDoc.get(doc);
  if (!out) {
    out = readSchemeKinds(doc);
    schemesOfDoc.set(doc, out);
  }
  return out;
}

function readSchemeKinds(doc: Node): Map<string, CredentialScheme> {
  const out = new Map<string, CredentialScheme>();
  for (const [scheme, def] of Object.entries<Node>(doc.components?.securitySchemes ?? {})) {
    const x = def?.['x-credential'];
    if (!x) continue;
    const at = `securitySchemes.${scheme}.x-credential`;
    if (typeof x.kind !== 'string' || !/^[a-z][a-z0-9_]*$/.test(x.kind)) throw new UserError(`spec: ${at}.kind ${JSON.stringify(x.kind)} is not a kind name (lower-case letters, digits and _)`);
    if (!x['minted-by'] && !isKeyName(x.key)) throw new UserError(`spec: ${at}.key ${JSON.stringify(x.key)} is not a key a run is given (${Object.keys(CONFIGURED_KEYS).join(', ')}); a credential is made of one, or minted (minted-by)`);
    const http = String(def.scheme ?? 'bearer').toLowerCase();
    if (http !== 'bearer' && http !== 'basic') throw new UserError(`spec: securitySchemes.${scheme}.scheme ${def.scheme} is neither bearer nor basic`);
    if (http === 'basic' && !x.username) throw new UserError(`spec: ${at}.username is missing: a Basic credential sends the key as its user name (key) or the id of an instance it acts in (its resource)`);
    const r = x.revoked;
    const revoked = r ? { byParam: r['by-param'], invariant: r.invariant, otherwise: r['otherwise-answered-by'], withHolder: r['with-holder'] } : undefined;
    out.set(scheme, { scheme, http, kind: x.kind, ...(x.key ? { key: x.key } : {}), mintedBy: x['minted-by'], valuePointer: x.value, username: x.username, usableWhen: x['usable-when'], revoked });
  }
  return out;
}

function questionMark(raw: Node): QuestionMark | undefined {
  if (!raw) return undefined;
  return { id: raw.id, answer: raw.answer, bySchema: raw['by-schema'], absent: raw.absent };
}

function schemaNameOf(schema: Node): string | undefined {
  const m = typeof schema?.$ref === 'string' && /^#\/components\/schemas\/([^/]+)$/.exec(schema.$ref);
  return m ? m[1] : undefined;
}

function indexOperations(doc: Node): Operation[] {
  const ops: Operation[] = [];
  const kinds = schemeKinds(doc);
  const globalSecurity = doc.security ?? [];
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    const pathParamsPtr = `#/paths/${escapeToken(path)}/parameters`;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const pointer = `#/paths/${escapeToken(path)}/${method}`;
      const params = new Map<string, ParamSpec>();
      const collect = (list: Node[] | undefined, base: string) =>
        (list ?? []).forEach((p, i) => {
          const { node, pointer: at } = deref(doc, p, `${base}/${i}`);
          params.set(`${node.in}:${node.name}`, {
            name: node.name,
            in: node.in,
            required: node.required === true,
            schemaPointer: `${at}/schema`,
            schema: node.schema,
            rejectedAs: node['x-rejected-as'],
            uniquePerRequest: node['x-unique-per-request'] === true,
            honouredWhen: node['x-honoured-when'],
            resource: node['x-resource'],
          });
        });
      collect(item.parameters, pathParamsPtr);
      collect(op.parameters, `${pointer}/parameters`);

      let requestBody: Operation['requestBody'];
      if (op.requestBody) {
        const { node, pointer: at } = deref(doc, op.requestBody, `${pointer}/requestBody`);
        const media = node.content?.['application/json'];
        if (media?.schema) {
          requestBody = {
            required: node.required === true,
            schemaPointer: `${at}/content/application~1json/schema`,
            schemaName: schemaNameOf(media.schema),
            rejectedAs: node['x-rejected-as'] ?? {},
            example: media.example,
          };
        }
      }

      const responses = new Map<string, ResponseSpec>();
      for (const [status, raw] of Object.entries<Node>(op.responses ?? {})) {
        const { node, pointer: at } = deref(doc, raw, `${pointer}/responses/${status}`);
        const media = node.content?.['application/json'];
        const headers = Object.entries<Node>(node.headers ?? {}).map(([name, h]) => {
          const { node: hn, pointer: hp } = deref(doc, h, `${at}/headers/${escapeToken(name)}`);
          return { name, required: hn.required === true, schemaPointer: `${hp}/schema`, question: questionMark(hn['x-question']) };
        });
        responses.set(status, {
          status,
          pointer: at,
          declaresHeaders: node.headers !== undefined,
          description: node.description ?? '',
          schemaPointer: media?.schema ? `${at}/content/application~1json/schema` : undefined,
          schemaName: schemaNameOf(media?.schema),
          bodyOptional: node['x-body'] === 'optional',
          headers,
          question: questionMark(node['x-question']),
        });
      }

      const security: Node[] = op.security ?? globalSecurity;
      const credentials = [...new Set(security.flatMap((req) => Object.keys(req).map((name) => kinds.get(name)?.kind).filter((k): k is CredentialKind => k !== undefined)))];

      ops.push({
        id: op.operationId,
        method,
        path,
        tag: op.tags?.[0] ?? 'default',
        area: op['x-area'] ?? op.tags?.[0] ?? 'default',
        summary: op.summary ?? op.operationId,
        pointer,
        params: [...params.values()],
        requestBody,
        responses,
        credentials,
        freshInstance: method === 'delete' || op['x-instance'] === 'fresh',
      });
    }
  }
  return ops;
}

const cache = new Map<string, Spec>();

/** Parses an OpenAPI 3.1 YAML/JSON document and indexes its operations. Cached per file. */
export function loadSpec(file: string): Spec {
  const abs = resolve(file);
  const hit = cache.get(abs);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    throw new UserError(`spec file not found: ${file} (set CONFORMANCE_SPEC to an OpenAPI 3.1 document)`);
  }
  let doc: Node;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new UserError(`spec file ${file} is not valid YAML/JSON: ${String(messageOf(e)).split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || typeof doc.openapi !== 'string' || !doc.paths) {
    throw new UserError(`spec file ${file} is not an OpenAPI document (no "openapi" version or no "paths")`);
  }
  const broken = brokenRef(doc);
  if (broken) throw new UserError(`spec file ${file} is broken: the $ref ${broken.ref} at ${broken.at} ${broken.why}; fix the reference`);
  let operations: Operation[];
  try {
    operations = indexOperations(doc);
  } catch (e) {
    throw new UserError(`spec file ${file} is broken: ${messageOf(e)}`);
  }
  const byId = new Map<string, Operation>();
  const methodsByPath = new Map<string, HttpMethod[]>();
  for (const op of operations) {
    byId.set(op.id, op);
    methodsByPath.set(op.path, [...(methodsByPath.get(op.path) ?? []), op.method]);
  }
  const spec: Spec = { file: abs, version: String(doc.info?.version ?? ''), doc, operations, byId, methodsByPath };
  cache.set(abs, spec);
  return spec;
}

/** The first `$ref` of a document that does not resolve (not local, or naming nothing), with where it is. */
function brokenRef(doc: Node): { ref: string; at: string; why: string } | undefined {
  const stack: [Node, string][] = [[doc, '#']];
  const seen = new Set<object>();
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#')) return { ref: node.$ref, at, why: 'points outside the document (only local references are read)' };
      try {
        resolvePointer(doc, node.$ref);
      } catch {
        return { ref: node.$ref, at, why: 'resolves to nothing' };
      }
    }
    for (const [k, v] of Object.entries(node)) if (v && typeof v === 'object') stack.push([v, `${at}/${escapeToken(k)}`]);
  }
  return undefined;
}

/** Matches a concrete request path to its templated path, e.g. `/api/organizations/abc` -> `/api/organizations/{id}`. */
export function matchPath(spec: Spec, concrete: string): { path: string; params: Record<string, string> } | undefined {
  const segs = concrete.split('?')[0].split('/');
  for (const { path, tpl } of templatesOf(spec)) {
    if (tpl.length !== segs.length || !tpl.every((t, i) => (t === undefined ? segs[i].length > 0 : t === segs[i]))) continue;
    const params: Record<string, string> = {};
    tpl.forEach((t, i) => {
      if (t === undefined) params[path.split('/')[i].slice(1, -1)] = safeDecode(segs[i]);
    });
    return { path, params };
  }
  return undefined;
}

/** Each templated path split into its segments, a parameter's as undefined: split once per spec (every answer is matched). */
function templatesOf(spec: Spec): { path: string; tpl: (string | undefined)[] }[] {
  let out = templates.get(spec);
  if (!out) {
    out = [...spec.methodsByPath.keys()].map((path) => ({ path, tpl: path.split('/').map((t) => (t.startsWith('{') && t.endsWith('}') ? undefined : t)) }));
    templates.set(spec, out);
  }
  return out;
}
const templates = new WeakMap<Spec, { path: string; tpl: (string | undefined)[] }[]>();

/** A malformed escape (`%zz`) stays as sent: it is an invalid id, not a crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const DEFAULT_SPEC = 'specs/polytomic-2025-09-18.yaml';

/** The name of the header a server remembers across requests (`x-unique-per-request`: an idempotency key), where the spec has one. */
export function rememberedHeaderName(spec: Spec): string | undefined {
  for (const op of spec.operations) {
    const p = op.params.find((x) => x.in === 'header' && x.uniquePerRequest);
    if (p) return p.name;
  }
  return undefined;
}
