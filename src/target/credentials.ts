import { createHmac, randomBytes } from 'node:crypto';
import { secrets } from './redact';
import { type CredentialKind, type CredentialScheme, type Spec, schemeKinds } from '../model/spec/load';
import type { KeyName } from '../model/keys';
import { UserError } from '../model/errors';

/**
 * A credential the run can send. `label` is the environment variable a reproduction uses in its
 * place (reports never carry the value). Basic credentials carry a user name too: the id of the
 * instance an organization-scoped key acts in (the key is the password), or, for a key sent as
 * its own user name with an empty password (a deployment key), none.
 */
export interface Credential {
  kind: CredentialKind | 'none' | 'unknown';
  label: string;
  secret?: string;
  scheme?: 'Bearer' | 'Basic';
  username?: string;
  /** Basic with the key as the user name and an empty password. */
  keyAsUser?: boolean;
  /** For a configured key: the kind of its form scoped to an organization, as the spec names it (`orgScoped`). */
  scopedKind?: CredentialKind;
  /** The configured key it is, or is built from (its environment variable); minted keys name their own label. */
  root: string;
  /** The instance (an organization) it acts in, where its kind acts in one: known when it is made, never read back from a header. */
  scope?: string;
  /** The instance it stands for (a user key's user). */
  holder?: string;
}

/**
 * Who a request acts as, without any part of its secret: what checks need to know of a
 * credential. `fingerprint` tells keys apart (a revoked one from its successor) and is a keyed
 * hash whose key lives only in this process, so it says nothing of the secret outside it.
 */
export interface Acting {
  kind: Credential['kind'];
  root: string;
  scope?: string;
  holder?: string;
  fingerprint?: string;
}

const FINGERPRINT_KEY = randomBytes(32);

/** The fingerprint of a key (and the user name sent with it), as `Acting.fingerprint` carries it: a key seen in an answer is matched by it. */
export function fingerprintOf(secret: string, username = ''): string {
  return createHmac('sha256', FINGERPRINT_KEY).update(`${username}:${secret}`).digest('hex').slice(0, 24);
}

/** A Bearer credential; `about` says where it acts, whom it stands for, and (a minted key) the configured key it was minted with. */
export function credential(kind: Credential['kind'], secret: string, label: string, about: Partial<Pick<Credential, 'scope' | 'holder' | 'root'>> = {}): Credential {
  secrets.add(secret, label);
  return { kind, label, secret, scheme: 'Bearer', root: label, ...about };
}

const actings = new WeakMap<Credential, Acting>();

/** What a request sent with `c` acts as (nothing, for a request without a credential); made once per credential. */
export function actingOf(c: Credential | undefined): Acting {
  if (!c?.secret) return { kind: 'none', root: 'none' };
  let a = actings.get(c);
  if (!a) {
    a = { kind: c.kind, root: c.root, ...(c.scope ? { scope: c.scope } : {}), ...(c.holder ? { holder: c.holder } : {}), fingerprint: fingerprintOf(c.secret, c.username) };
    actings.set(c, a);
  }
  return a;
}

/**
 * An organization-scoped key: Basic credentials with the organization's id as the user name and
 * the configured `key` as the password, as the Terraform provider builds them; its kind is the one
 * the spec gives that key's scoped form.
 */
export function orgScoped(key: Credential, organization: string): Credential {
  if (!key.scopedKind) throw new UserError(`the spec gives ${key.label} no form scoped to an organization (an x-credential with its key and username: organization)`);
  const scoped: Credential = { kind: key.scopedKind, label: key.label, secret: key.secret, scheme: 'Basic', username: organization, root: key.root, scope: organization };
  // The encoded header value is a secret too, should a server ever echo it.
  secrets.add(basicToken(scoped), `${key.label} (Basic, organization ${organization})`);
  return scoped;
}

const actsIn = (s: CredentialScheme) => !!s.username && s.username !== 'key';

/**
 * A configured key as the run sends it on its own, acting in no instance: the form the spec's
 * x-credential for that key gives (the partner key as Bearer; a deployment key as Basic with
 * itself as the user name), knowing the kind of its organization-scoped form.
 */
export function keyCredential(spec: Spec, key: KeyName, value: string, label: string): Credential {
  const schemes = [...schemeKinds(spec.doc).values()].filter((s) => s.key === key);
  const own = schemes.find((s) => !actsIn(s));
  if (!own) throw new UserError(`the spec has no x-credential for the ${key} key on its own (key: ${key}, no username or username: key); ${label} cannot be sent`);
  const scopedKind = schemes.find(actsIn)?.kind;
  if (own.http === 'bearer') return { ...credential(own.kind, value, label), ...(scopedKind ? { scopedKind } : {}) };
  const c: Credential = { kind: own.kind, label, secret: value, scheme: 'Basic', keyAsUser: true, root: label, ...(scopedKind ? { scopedKind } : {}) };
  secrets.add(value, label);
  secrets.add(basicToken(c), `${label} (Basic)`);
  return c;
}

export const NO_CREDENTIAL: Credential = { kind: 'none', label: 'none', root: 'none' };

/** A well-formed token no server issued. */
export function unknownCredential(): Credential {
  return credential('unknown', 'poly_unknown_0000000000000000', 'UNKNOWN_KEY');
}

function basicToken(c: Credential): string {
  return Buffer.from(c.keyAsUser ? `${c.secret}:` : `${c.username ?? ''}:${c.secret}`).toString('base64');
}

export function authHeaders(c: Credential | undefined): Record<string, string> {
  if (!c?.secret) return {};
  return { Authorization: c.scheme === 'Basic' ? `Basic ${basicToken(c)}` : `${c.scheme} ${c.secret}` };
}

/**
 * How a ledger names the credential that deletes a resource, without its secret: the run's own
 * key, or that key scoped to an organization. (Ledgers written before also carry a `kind`.)
 */
export type CredentialRef = { organization?: string };

export function fromRef(ref: CredentialRef, own: Credential): Credential {
  return ref.organization ? orgScoped(own, ref.organization) : own;
}
