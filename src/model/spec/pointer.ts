/**
 * JSON pointers (RFC 6901) and `$ref` following: the one home for both, used by spec indexing,
 * validation, generation, checks and drift.
 */

/** A JSON value, or a node of an OpenAPI document (which is parsed YAML: anything goes). */
// biome-ignore lint/suspicious/noExplicitAny: documents are untyped parsed YAML, walked by key.
export type Node = any;

/** Escapes one reference token: `~` -> `~0`, `/` -> `~1`. */
export function escapeToken(token: string): string {
  return token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}

export function unescapeToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

/** The tokens of a pointer, unescaped (`/a~1b/0` -> `['a/b', '0']`; `''` and `'/'` -> `[]`). */
export function tokensOf(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  return p === '' || p === '/' ? [] : p.split('/').slice(1).map(unescapeToken);
}

/** The value at an instance pointer, or undefined. */
export function valueAt(value: unknown, pointer: string): unknown {
  return tokensOf(pointer).reduce<Node>((node, key) => node?.[key], value);
}

/** The node at a local `$ref` pointer (`#/components/schemas/User`); throws when there is none. */
export function resolvePointer(doc: Node, pointer: string): Node {
  if (!pointer.startsWith('#')) throw new Error(`only local $refs are supported: ${pointer}`);
  let node = doc;
  for (const key of tokensOf(pointer)) {
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolvable $ref ${pointer}`);
  }
  return node;
}

/**
 * Follows a chain of `$ref`s. Sibling keywords of a `$ref` (2020-12 allows them) are kept, the
 * nearer ones winning. Returns the resolved node and the document pointer it lives at.
 */
export function followRefs(doc: Node, node: Node, at: string): { node: Node; at: string } {
  const seen = new Set<string>();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    const ref: string = node.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    const { $ref: _ref, ...siblings } = node;
    const target = resolvePointer(doc, ref);
    node = Object.keys(siblings).length && target && typeof target === 'object' ? { ...target, ...siblings } : target;
    at = ref;
  }
  return { node, at };
}
