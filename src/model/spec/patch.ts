import type { Operation, Spec } from './load';
import { escapeToken, followRefs, type Node } from './pointer';

export type PatchOperation = { op: 'add' | 'replace'; path: string; value: unknown };

/**
 * Every place in the document an operation's messages reach (RFC 6901 pointers): its request body
 * and responses and everything they `$ref`, where it is written.
 */
const reaches = new WeakMap<Operation, string[]>();

export function reachOf(spec: Spec, op: Operation): string[] {
  const hit = reaches.get(op);
  if (hit) return hit;
  const out = new Set<string>();
  const visit = (node: Node, at: string, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 40) return;
    if (typeof node.$ref === 'string') {
      const r = followRefs(spec.doc, node, at);
      const where = r.at.replace(/^#/, '');
      if (out.has(where)) return;
      out.add(where);
      visit(r.node, r.at, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(node)) if (v && typeof v === 'object') visit(v, `${at}/${escapeToken(k)}`, depth + 1);
  };
  const { node } = followRefs(spec.doc, { $ref: op.pointer }, op.pointer);
  out.add(op.pointer.replace(/^#/, ''));
  visit(node?.requestBody, `${op.pointer}/requestBody`, 0);
  visit(node?.responses, `${op.pointer}/responses`, 0);
  const list = [...out];
  reaches.set(op, list);
  return list;
}

/** The operations whose messages a patch at `path` changes (more than one: a shared component). */
export function operationsAt(spec: Spec, path: string): string[] {
  return spec.operations.filter((op) => reachOf(spec, op).some((r) => path === r || path.startsWith(`${r}/`))).map((op) => op.id);
}

/**
 * Several drift patches as one RFC 6902 document: in order, and where two make the same map (the
 * first `properties` of a schema, the first `headers` of a response), one map holding both.
 */
export function combinePatches(patches: PatchOperation[][]): PatchOperation[] {
  const out: PatchOperation[] = [];
  const maps = new Map<string, Record<string, unknown>>();
  for (const op of patches.flat()) {
    const prior = maps.get(op.path);
    if (op.op === 'add' && /\/(properties|headers)$/.test(op.path) && op.value && typeof op.value === 'object') {
      if (prior) {
        Object.assign(prior, op.value);
        continue;
      }
      const map = { ...(op.value as Record<string, unknown>) };
      maps.set(op.path, map);
      out.push({ ...op, value: map });
      continue;
    }
    if (!out.some((o) => JSON.stringify(o) === JSON.stringify(op))) out.push(op);
  }
  return out;
}
