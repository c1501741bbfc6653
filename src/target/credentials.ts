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
}

export function credential(kind: Credential['kind'], secret: string, label: string): Credential {
  secrets.add(secret, label);
  return { kind, label, secret, scheme: 'Bearer' };
}

/**
 * An organization-scoped key: Basic credentials with the organization's id as the user name and
 * `key` (the partner key) as the password, as the Terraform provider builds them.
 */
export function orgScoped(key: Credential, organization: string): Credential {
  const scoped: Credential = { kind: 'org_basic', label: key.label, secret: key.secret, scheme: 'Basic', username: organization };
  // The encoded header value is a secret too, should a server ever echo it.
  secrets.add(basicToken(scoped), `${key.label} (Basic, organization ${organization})`);
  return scoped;
}

export const NO_CREDENTIAL: Credential = { kind: 'none', label: 'none' };

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
