import type { Contracts } from '../../model/contracts';
import type { Spec } from '../../model/spec/load';
import { probeFor } from './probes';

/** A rule the target profile leaves unjudged: every answer its question allows is accepted. */
export interface UnjudgedRule {
  question: string;
  asks: string;
  /** Whether `npm run calibrate` can settle it (a probe asks the target); else why not. */
  calibrates: true | string;
}

/** What a profile leaves unjudged, and the command that narrows it to what the target does. */
export interface Unjudged {
  profile: string;
  /** Of how many open questions. */
  of: number;
  rules: UnjudgedRule[];
}

/**
 * The open questions whose every allowed answer the run's profile accepts: the rules resting on
 * them cannot fail, whatever the target answers. A profile bounded only by the sources (as
 * `polytomic` is) leaves most of them so; calibrating a target's own profile settles every one a
 * probe can ask.
 */
export function unjudged(contracts: Contracts, spec: Spec): Unjudged {
  const { profile, questions } = contracts;
  const rules: UnjudgedRule[] = [];
  for (const q of questions.values()) {
    const accepted = new Set(profile.accepted(q.id).map(String));
    if (!q.answers.every((a) => accepted.has(String(a)))) continue;
    const probe = probeFor(spec, q.id);
    const calibrates = q.shownBy === 'clients' ? 'no request shows it: it decides what a client may do' : typeof probe === 'function' ? true : (probe ?? 'no probe asks it');
    rules.push({ question: q.id, asks: q.asks, calibrates });
  }
  return { profile: profile.name, of: questions.size, rules };
}

/** The line a run opens with when its profile leaves rules unjudged, and how to settle them. */
export function unjudgedText(u: Unjudged): string[] {
  if (!u.rules.length) return [];
  const settled = u.rules.filter((r) => r.calibrates === true).length;
  return [
    `${u.rules.length} of ${u.of} rules cannot fail under target profile ${u.profile}: it accepts every answer the sources allow to ${u.rules.map((r) => r.question).join(', ')}.`,
    settled ? `  npm run calibrate -- --name <target> settles ${settled} of them (a profile of the target's own answers, with evidence); then run with CONFORMANCE_TARGET_PROFILE=<target>.` : '  calibration settles none of them.',
  ];
}
