import type { Reproduction, ReproStep } from '../reproduction';

/** A value in double quotes for the shell, expanding only the variables named in `vars`. */
function quoted(s: string, vars: ReadonlySet<string>): string {
  const escaped = s.replace(/[\\"`$]/g, (c) => `\\${c}`);
  return `"${escaped.replace(/\\\$\{([A-Za-z0-9_]+)\}/g, (m, v) => (vars.has(v) ? `\${${v}}` : m))}"`;
}

/** A JSON pointer as jq reads it (`/data/id` -> `.data.id`). */
const jqPath = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `.${JSON.stringify(p)}`))
    .join('') || '.';

function curlOf(step: ReproStep, vars: ReadonlySet<string>, show: boolean): string {
  const query = step.query ? `?${Object.entries(step.query).map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : '';
  const withKey = new Set([...vars, 'BASE', ...(step.auth ? [step.auth.key] : [])]);
  const parts = [show ? 'curl -sS -i' : 'curl -sS', '-X', step.method, quoted(`\${BASE}${step.path}${query}`, withKey)];
  for (const [k, v] of Object.entries(step.headers)) parts.push('-H', quoted(`${k}: ${v}`, vars));
  // Basic: the instance it acts in as the user name and the key as the password, or the key as the user name.
  if (step.auth?.scheme === 'Basic') parts.push('-u', quoted(step.auth.user ? `${step.auth.user}:\${${step.auth.key}}` : `\${${step.auth.key}}:`, withKey));
  else if (step.auth) parts.push('-H', quoted(`Authorization: Bearer \${${step.auth.key}}`, withKey));
  if (step.body !== undefined) parts.push('--data-raw', quoted(step.body, vars));
  return parts.join(' ');
}

/**
 * The reproduction as a script for a person (or another tool), with curl and jq: fresh names,
 * each request (capturing what later ones name), then the request that showed the defect, its
 * answer shown; what it made is deleted when it ends, however it ends.
 */
export function reproScript(r: Reproduction, about: string): string {
  const vars = new Set([...r.fresh.map((f) => f.name), ...r.steps.flatMap((s) => (s.capture ? [s.capture.name] : []))]);
  const lines = [
    '#!/usr/bin/env bash',
    `# Reproduces ${about}`,
    `# Needs curl, jq${r.keys.length ? ` and ${r.keys.join(', ')}` : ''}; makes what the request needs, and deletes it at the end.`,
    'set -euo pipefail',
    `BASE="\${POLYTOMIC_BASE_URL:-${r.base.replace(/\/$/, '').replace(/[\\"`$]/g, (c) => `\\${c}`)}}"`,
    ...r.fresh.map((f, i) => `${f.name}="repro-$(date +%s)-${i + 1}${f.kind === 'name' ? '' : '-$RANDOM'}"`),
  ];
  if (r.cleanup.length) {
    lines.push('cleanup() {');
    // Only what was made: a variable still empty names nothing.
    for (const step of r.cleanup) lines.push(`  [ -n "\${${step.removes}:-}" ] && ${curlOf(step, vars, false)} -o /dev/null || true`);
    lines.push('}', 'trap cleanup EXIT');
  }
  for (const [i, step] of r.steps.entries()) {
    if (i === r.steps.length - 1) lines.push('# The request that showed it:', curlOf(step, vars, true));
    else if (step.capture) lines.push(`${step.capture.name}=$(${curlOf(step, vars, false)} | jq -er ${quoted(jqPath(step.capture.pointer), new Set())})`);
    else lines.push(`${curlOf(step, vars, false)} -o /dev/null`);
  }
  return `${lines.join('\n')}\n`;
}
