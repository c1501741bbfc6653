import { type Contracts, kindedRules } from '../contracts';
import { UserError } from '../errors';
import { schemeKinds, type Spec } from './load';
import { escapeToken, type Node } from './pointer';
import { resourcesOf } from './resources';

/** A name the spec's extensions use that must exist elsewhere: a question, an invariant or a resource. */
export interface NameUse {
  kind: 'question' | 'invariant' | 'resource';
  name: string;
  /** Where the spec uses it (a JSON pointer). */
  at: string;
}

/**
 * Every question, invariant and resource the spec's extensions name, with where. What the suite
 * knows about Polytomic lives in the spec and contracts/; this is what ties the two together.
 */
export function namesUsed(spec: Spec): NameUse[] {
  const out: NameUse[] = [];
  const q = (name: unknown, at: string) => typeof name === 'string' && out.push({ kind: 'question', name, at });
  const inv = (name: unknown, at: string) => typeof name === 'string' && out.push({ kind: 'invariant', name, at });
  const walk = (node: Node, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${at}/${i}`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const rejected = node['x-rejected-as'];
    if (typeof rejected === 'string') q(rejected, `${at}/x-rejected-as`);
    else if (rejected && typeof rejected === 'object') for (const [k, v] of Object.entries(rejected)) q(v, `${at}/x-rejected-as/${k}`);
    q(node['x-unknown-rejected-as'], `${at}/x-unknown-rejected-as`);
    q(node['x-other-answered-by'], `${at}/x-other-answered-by`);
    q(node['x-question']?.id, `${at}/x-question`);
    for (const k of Object.keys(node['x-honoured-when'] ?? {})) q(k, `${at}/x-honoured-when`);
    for (const [keyword, v] of Object.entries<Node>(node['x-assumptions'] ?? {})) {
      if (typeof v === 'string') q(v, `${at}/x-assumptions/${keyword}`);
      else for (const [prop, name] of Object.entries(v ?? {})) q(name, `${at}/x-assumptions/${keyword}/${prop}`);
    }
    q(node['x-after-delete']?.question, `${at}/x-after-delete`);
    inv(node['x-after-delete']?.invariant, `${at}/x-after-delete`);
    inv(node['x-update-ignores'], `${at}/x-update-ignores`);
    if (typeof node['x-resource'] === 'string') out.push({ kind: 'resource', name: node['x-resource'], at: `${at}/x-resource` });
    for (const [k, v] of Object.entries(node)) if (k !== 'x-resources') walk(v, `${at}/${escapeToken(k)}`);
  };
  walk(spec.doc, '#');
  for (const s of schemeKinds(spec.doc).values()) {
    for (const k of Object.keys(s.usableWhen ?? {})) q(k, `#/components/securitySchemes/${s.scheme}/x-credential/usable-when`);
    if (s.username && s.username !== 'key') out.push({ kind: 'resource', name: s.username, at: `#/components/securitySchemes/${s.scheme}/x-credential/username` });
    const revoked = `#/components/securitySchemes/${s.scheme}/x-credential/revoked`;
    inv(s.revoked?.invariant, revoked);
    inv(s.revoked?.withHolder, revoked);
    q(s.revoked?.otherwise, revoked);
  }
  for (const r of resourcesOf(spec).byKind.values()) {
    const at = `#/x-resources/${r.kind}`;
    q(r.duplicateAnsweredBy, `${at}/duplicate-answered-by`);
    q(r.renameAnsweredBy, `${at}/rename-answered-by`);
    q(r.perContainer?.beyond, `${at}/per-container/beyond`);
    inv(r.updateReplacesWhole, `${at}/update-replaces-whole`);
    q(r.readonly?.updateRejectedAs, `${at}/readonly`);
    q(r.readonly?.deleteRejectedAs, `${at}/readonly`);
    q(r.readonly?.namesAnsweredBy, `${at}/readonly`);
  }
  return out;
}

/** Names the spec uses that the contracts (or the spec's own x-resources) do not have: one line each. */
export function unknownNames(spec: Spec, contracts: Pick<Contracts, 'questions' | 'invariants'>): string[] {
  const resources = resourcesOf(spec).byKind;
  const known = (u: NameUse) => (u.kind === 'question' ? contracts.questions.has(u.name) : u.kind === 'invariant' ? u.name in contracts.invariants : resources.has(u.name));
  const where = { question: 'contracts/questions.yaml', invariant: 'contracts/invariants.yaml', resource: 'the spec\'s x-resources' };
  const unmarked = spec.operations.flatMap((op) => op.params.filter((p) => p.in === 'path' && !p.resource).map((p) => `${op.pointer} path parameter ${p.name} names no resource (x-resource), so no run can fill it`));
  // A rule of a kind names a resource of the spec, and a field its instances have.
  const kinded = kindedRules(contracts.invariants).flatMap((r) => {
    const res = resources.get(r.resource);
    if (!res) return [`contracts/invariants.yaml ${r.id} names the resource ${r.resource}, which the spec's x-resources does not have`];
    const fields = spec.doc.components?.schemas?.[res.entity]?.properties ?? {};
    return r.kind === 'unique_per_container' && !(r.field in fields) ? [`contracts/invariants.yaml ${r.id} names the field ${r.field}, which ${res.entity} does not have`] : [];
  });
  return [
    ...unmarked,
    ...kinded,
    ...namesUsed(spec)
      .filter((u) => !known(u))
      .map((u) => `${u.at} names the ${u.kind} ${u.name}, which ${where[u.kind]} does not have`),
  ];
}

/** Throws the first name the spec uses that the contracts lack, as a user mistake naming both files. */
export function assertNamesKnown(spec: Spec, contracts: Pick<Contracts, 'questions' | 'invariants' | 'dir'>): void {
  const unknown = unknownNames(spec, contracts);
  if (unknown.length) throw new UserError(`spec ${spec.file} and contracts ${contracts.dir} disagree: ${unknown[0]}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''}; add it there or fix the spec`);
}
