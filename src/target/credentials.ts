import { secrets } from './redact';
import type { CredentialKind } from '../model/spec/load';

/**
 * A credential the run can send. `label` is the environment variable a reproduction uses in its
 * place (reports never carry the value).
 */
export interface Credential {
  kind: CredentialKind | 'none' | 'unknown';
  label: string;
  secret?: string;
  scheme?: 'Bearer' | 'Basic';
}

export function credential(kind: Credential['kind'], secret: string, label: string): Credential {
  secrets.add(secret, label);
  return { kind, label, secret, scheme: kind === 'org_basic' ? 'Basic' : 'Bearer' };
}

export const NO_CREDENTIAL: Credential = { kind: 'none', label: 'none' };

/** A well-formed token no server issued. */
export function unknownCredential(): Credential {
  return credential('unknown', 'poly_unknown_0000000000000000', 'UNKNOWN_KEY');
}

export function authHeaders(c: Credential | undefined): Record<string, string> {
  if (!c?.secret) return {};
  const value = c.scheme === 'Basic' ? Buffer.from(`${c.secret}:`).toString('base64') : c.secret;
  return { Authorization: `${c.scheme} ${value}` };
}
