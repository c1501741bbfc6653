import { createHmac, randomBytes } from 'node:crypto';
import { secrets } from './redact';
import type { CredentialKind } from '../model/spec/load';

/**
 * A credential the run can send. `label` is the environment variable a reproduction uses in its
 * place (reports never carry the value). Basic credentials carry a user name too (an
 * organization-scoped key: the organization id, with the partner key as the password).
 */
export interface Credential {
  kind: CredentialKind | 'none' | 'unknown';
  label: string;
  secret?: string;
  scheme?: 'Bearer' | 'Basic';
  username?: string;
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
 * `key` (the partner key) as the password, as the Terraform provider builds them.
 */
export function orgScoped(key: Credential, organization: string): Credential {
  const scoped: Credential = { kind: 'org_basic', label: key.label, secret: key.secret, scheme: 'Basic', username: organization, root: key.root, scope: organization };
  // The encoded header value is a secret too, should a server ever echo it.
  secrets.add(basicToken(scoped), `${key.label} (Basic, organization ${organization})`);
  return scoped;
}

export const NO_CREDENTIAL: Credential = { kind: 'none', label: 'none', root: 'none' };

/** A well-formed token no server issued. */
export function unknownCredential(): Credential {
  return credential('unknown', 'poly_unknown_0000000000000000', 'UNKNOWN_KEY');
}

function basicToken(c: Credential): string {
  return Buffer.from(`${c.username ?? ''}:${c.secret}`).toString('base64');
}

export function authHeaders(c: Credential | undefined): Record<string, string> {
  if (!c?.secret) return {};
  return { Authorization: c.scheme === 'Basic' ? `Basic ${basicToken(c)}` : `${c.scheme} ${c.secret}` };
}

/**
 * How a ledger names the credential that deletes a resource, without its secret: the partner
 * key, or the partner key scoped to an organization.
 */
export type CredentialRef = { kind: 'partner' } | { kind: 'org_basic'; organization: string };

export function fromRef(ref: CredentialRef, partner: Credential): Credential {
  return ref.kind === 'org_basic' ? orgScoped(partner, ref.organization) : partner;
}
