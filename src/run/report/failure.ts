import type { TestInfo } from '@playwright/test';
import type { Finding } from '../../checks/types';
import { redactRequest, redactResponse, secrets, toCurl } from '../../target/redact';
import type { Target } from '../../target/target';
import type { Recorded } from '../../checks/types';
import { compressPath } from '../../model/replay-path';

export interface ReplayInfo {
  seed: number;
  /** fast-check path of the shrunk counterexample. */
  path?: string;
  /** fast-check's replay path of a shrunk command sequence (the model run). */
  commands?: string;
  /** Playwright title filter that selects exactly this test. */
  grep: string;
}

export function replayCommand(r: ReplayInfo): string {
  const env = [`CONFORMANCE_SEED=${r.seed}`, ...(r.path ? [`CONFORMANCE_PATH=${compressPath(r.path)}`] : []), ...(r.commands ? [`CONFORMANCE_COMMANDS_PATH=${r.commands}`] : [])];
  return `${env.join(' ')} npm run conformance -- -g ${JSON.stringify(r.grep)}`;
}

/** The command that runs a failure again: a property's seed and path, or the test's own command line. */
export const againCommand = (r: ReplayInfo | string) => (typeof r === 'string' ? r : replayCommand(r));

/** Escapes a test title for use as a `-g` regular expression. */
export function grepFor(title: string): string {
  return title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The finding, and what it rests on when that is not the spec: a guess says so first. */
function describeFinding(f: Finding): string {
  const basis = f.note ? `\n    ${f.basis === 'guess' ? 'rests on a guess' : 'rests on'}: ${f.note}` : '';
  return `[${f.check}] ${secrets.redactText(f.message)}${basis}`;
}

/**
 * The failure text a person reads first: check ids, the request and what came back, a curl
 * line and the replay command. Every secret is redacted.
 */
export function formatFailure(target: Target, rec: Recorded, replay?: ReplayInfo | string): string {
  const { request, response } = rec.exchange;
  const lines = [
    ...rec.findings.map(describeFinding),
    `  request:  ${request.method} ${request.path}${request.query ? `?${new URLSearchParams(request.query)}` : ''} -> ${response.status} (${Math.round(response.elapsedMs)} ms)`,
    `  curl:     ${toCurl(target.client.base, request)}`,
  ];
  const body = redactResponse(response).text;
  if (body) lines.push(`  response: ${body.length > 400 ? `${body.slice(0, 400)}…` : body}`);
  if (replay) lines.push(`  replay:   ${againCommand(replay)}`);
  return lines.join('\n');
}

/** Attaches the evidence of a failing exchange to the test (Allure shows Playwright attachments). */
export async function attachFailure(testInfo: TestInfo, target: Target, rec: Recorded, replay?: ReplayInfo | string): Promise<void> {
  const checks = [...new Set(rec.findings.map((f) => f.check))].join(', ');
  await testInfo.attach(`curl (${checks})`, { body: toCurl(target.client.base, rec.exchange.request), contentType: 'text/plain' });
  await testInfo.attach('request', { body: JSON.stringify(redactRequest(rec.exchange.request), null, 2), contentType: 'application/json' });
  await testInfo.attach('response', { body: JSON.stringify(redactResponse(rec.exchange.response), null, 2), contentType: 'application/json' });
  const schemaDiff = rec.findings.filter((f) => f.expected !== undefined || f.actual !== undefined);
  if (schemaDiff.length) {
    await testInfo.attach('expected vs actual', {
      body: secrets.redactText(JSON.stringify(schemaDiff.map((f) => ({ check: f.check, at: f.pointer, expected: f.expected, actual: f.actual, rule: f.rule, restsOn: f.note ?? f.basis })), null, 2)),
      contentType: 'application/json',
    });
  }
  if (replay) await testInfo.attach('replay', { body: againCommand(replay), contentType: 'text/plain' });
}
