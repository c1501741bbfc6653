import { type HttpRequest, type HttpResponse, serialiseBody, urlFor } from './http';

/**
 * Every secret the run knows (configured keys, keys minted during the run), each with the name a
 * reproduction should use instead (`$POLYTOMIC_PARTNER_KEY`). Reports, logs and attachments pass
 * through `redactText`, so a secret never reaches a file.
 */
class SecretRegistry {
  private readonly labels = new Map<string, string>();
  private pattern: RegExp | undefined;

  add(value: string | undefined, label: string): void {
    // Very short values would redact ordinary text; real keys are long.
    if (!value || value.length < 6 || this.labels.has(value)) return;
    this.labels.set(value, label);
    this.pattern = undefined;
  }

  label(value: string): string | undefined {
    return this.labels.get(value);
  }

  redactText(text: string): string {
    if (this.labels.size === 0 || !text) return text;
    this.pattern ??= new RegExp(
      [...this.labels.keys()]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, (m) => `<${this.labels.get(m)!.replace(/^\$/, '')}>`);
  }
}

export const secrets = new SecretRegistry();

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$/i;
const SECRET_FIELD = /^(client_secret|password|token|value)$/;

/**
 * `Bearer $POLYTOMIC_PARTNER_KEY`-style text for a credential header, never its value. Basic
 * credentials show their user name (an organization id, no secret) and the password's label:
 * `Basic <org id>:$POLYTOMIC_PARTNER_KEY`.
 */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function redactAuthorization(value: string): string {
  const [scheme, token = ''] = value.split(/\s+/, 2);
  const ref = (secret: string) => {
    const label = secrets.label(secret);
    return label ? `$${label.replace(/^\$/, '')}` : '<redacted>';
  };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    // A user name that is itself a secret (a key sent as the user name) is named by its variable;
    // one the run does not know is shown only if it is plainly an instance id.
    const shownUser = secrets.label(user) ? ref(user) : ID.test(user) ? user : user ? '<redacted>' : '';
    return `${scheme} ${shownUser}:${colon < 0 || colon === decoded.length - 1 ? '' : ref(decoded.slice(colon + 1))}`;
  }
  return `${scheme} ${ref(token)}`;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = SECRET_HEADER.test(k) ? (/^authorization$/i.test(k) ? redactAuthorization(v) : '<redacted>') : secrets.redactText(v);
  }
  return out;
}

/** Deep copy with secret-named fields replaced; API key values and OIDC secrets never leave. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELD.test(k) && typeof v === 'string' ? '<redacted>' : redactJson(v);
    }
    return out;
  }
  return typeof value === 'string' ? secrets.redactText(value) : value;
}

export function redactRequest(req: HttpRequest): HttpRequest {
  return {
    ...req,
    headers: redactHeaders(req.headers),
    ...(req.body !== undefined ? { body: redactJson(req.body) } : {}),
    ...(req.rawBody !== undefined ? { rawBody: secrets.redactText(req.rawBody) } : {}),
  };
}

export function redactResponse(res: HttpResponse): HttpResponse {
  const json = res.json === undefined ? undefined : redactJson(res.json);
  return {
    ...res,
    headers: redactHeaders(res.headers),
    json,
    text: json === undefined ? secrets.redactText(res.text) : JSON.stringify(json),
  };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A one-line `curl` that reproduces the request. Credentials appear as environment variables
 * (`"Authorization: Bearer $POLYTOMIC_PARTNER_KEY"`), never as values.
 */
export function toCurl(base: URL, req: HttpRequest): string {
  // --compressed: curl asks for, and decodes, the encodings a server may use (as the suite's client does).
  const parts = ['curl -sS -i --compressed', '-X', req.method, shellQuote(urlFor(base, req).toString())];
  for (const [k, v] of Object.entries(req.headers)) {
    if (/^authorization$/i.test(k)) {
      const red = redactAuthorization(v);
      // Basic credentials are user:password; curl's -u builds the header from the variable.
      const [scheme, ref] = red.split(' ');
      parts.push(/^basic$/i.test(scheme) ? `-u "${ref.replace(/<redacted>$/, '')}"` : `-H "Authorization: ${scheme} ${ref}"`);
    } else {
      parts.push('-H', shellQuote(`${k}: ${secrets.redactText(v)}`));
    }
  }
  const body = serialiseBody(redactRequest(req));
  if (body !== undefined) parts.push('--data-raw', shellQuote(body));
  return parts.join(' ');
}
