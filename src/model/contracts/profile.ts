import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { didYouMean } from '../text';

/** An answer to an open question: a status code, or a named behaviour. */
export type Answer = string | number;

/** What an answer of a profile rests on. */
export type Basis =
  | { kind: 'guess'; why: string }
  | { kind: 'source'; source: string }
  /** Seen by `npm run calibrate`, with the exchange that showed it. */
  | { kind: 'observed'; on: string; request: string; response: string };

export interface Question {
  id: string;
  asks: string;
  answers: Answer[];
  open: string;
  /** `clients`: no request shows the answer; it decides what a client may do (no probe calibrates it). */
  shownBy?: 'clients';
}

export interface ProfileEntry {
  accept: Answer[];
  basis: Basis;
}

/** Strictness per check (the same shape in a profile's `checks:` and in the configuration). */
export type ChecksConfig = Record<string, { enabled?: boolean; operations?: Record<string, boolean>; expectedStatuses?: number[]; options?: Record<string, number | boolean> }>;

/** A profile's drift settings (the configuration file's `drift` shape). */
export interface ProfileDrift {
  policy?: Record<string, 'fail' | 'warn' | 'off'>;
  infrastructureHeaders?: string[];
}

/**
 * How one target answers the open questions (contracts/targets/<name>.yaml). Checks ask it what
 * they may accept; findings that rest on an answer cite it, with its basis.
 */
export class TargetProfile {
  /** Names this profile's answers, for caches: two files with the same name but other answers differ. */
  readonly key: string;

  constructor(
    readonly name: string,
    readonly describes: string,
    readonly questions: ReadonlyMap<string, Question>,
    private readonly entries: ReadonlyMap<string, ProfileEntry>,
    readonly checks: ChecksConfig = {},
    readonly drift?: ProfileDrift,
  ) {
    const answers = [...entries].sort(([a], [b]) => a.localeCompare(b)).map(([q, e]) => `${q}=${e.accept.join('|')}`);
    this.key = `${name}:${createHash('sha1').update(answers.join(';')).digest('hex').slice(0, 12)}`;
  }

  entry(question: string): ProfileEntry {
    const e = this.entries.get(question);
    if (!e) throw new UserError(`contracts/questions.yaml has no question ${question}${didYouMean(question, [...this.questions.keys()])}; the suite needs it`);
    return e;
  }

  accepted(question: string): Answer[] {
    return this.entry(question).accept;
  }

  /** Status codes are compared as numbers, whatever the YAML made of them. */
  accepts(question: string, answer: Answer | undefined): boolean {
    return answer !== undefined && this.accepted(question).some((a) => String(a) === String(answer));
  }

  /** The answer a server following this profile gives (the mock does this). */
  first(question: string): Answer {
    return this.accepted(question)[0];
  }

  /** The statuses accepted for a status question. */
  statuses(question: string): number[] {
    return this.accepted(question).map(Number);
  }

  /** Only this answer is accepted: the target surely behaves so, and the suite may rely on it. */
  only(question: string, answer: Answer): boolean {
    const a = this.accepted(question);
    return a.length === 1 && String(a[0]) === String(answer);
  }

  /** Every question surely answered so (an `x-honoured-when` condition, say); true for none. */
  surely(answers: Record<string, string> | undefined): boolean {
    return Object.entries(answers ?? {}).every(([q, a]) => this.only(q, a));
  }

  /** For a finding: which answer of which profile it rests on, and on what basis. */
  cite(question: string): { rule: string; basis: Basis['kind']; note: string } {
    const { basis } = this.entry(question);
    const why = basis.kind === 'guess' ? `a guess: ${basis.why}` : basis.kind === 'source' ? `source: ${basis.source}` : `observed on ${basis.on}`;
    return { rule: `profile ${question}`, basis: basis.kind, note: `target profile ${this.name}, ${question} (${why})` };
  }

  /** Every question with its accepted answers and basis, for reports and calibration. */
  all(): [string, ProfileEntry][] {
    return [...this.entries];
  }
}
