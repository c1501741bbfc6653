import type { Exchange } from '../../checks/types';
import type { Recorded } from '../../checks/types';
import { type PrismViolation, prismVerdict } from './prism';

/**
 * Where Prism's validating proxy and the suite part ways on one exchange. On a faithful mock with
 * a correct suite there are none; each kind names the side that is wrong if it is not Prism.
 */
export type DisagreementKind =
  /** Prism says the mock's response breaks the spec (the mock, or Prism, is wrong). */
  | 'response_violation'
  /** Prism says a request the suite meant as valid breaks the spec (the generator, or Prism). */
  | 'valid_request_rejected'
  /** The suite meant a request as invalid by the spec; Prism saw nothing wrong with it. */
  | 'invalid_request_unflagged'
  /** The suite failed an exchange Prism forwarded and passed (the mock, the suite, or a rule beyond the spec). */
  | 'suite_only_finding';

export interface Disagreement {
  kind: DisagreementKind;
  /** `operationId` or `METHOD path` for undeclared routes. */
  operation: string;
  request: string;
  status: number;
  prism: string[];
  suite: string[];
}

/**
 * Where Prism 5.14.2 itself is wrong, so a disagreement on such an exchange says nothing about
 * the mock or the suite. Each is shown to still hold by a test in tests/crosscheck/prism.spec.ts.
 */
export const PRISM_LIMITATIONS: readonly { id: string; description: string; explains: (ex: Exchange) => boolean }[] = [
  {
    id: 'null_body_dropped',
    description: 'a JSON `null` request body is taken for no body: Prism neither validates nor forwards it, so the upstream answers a request without one',
    explains: (ex) => ex.request.body === null && ex.request.rawBody === undefined,
  },
];

/** Exchanges Prism answered itself, grouped by its problem type. */
export interface PrismAnswer {
  problem: string;
  status: number;
  count: number;
  /** What the requests were meant to prove (`negative`, `auth/none`...). */
  intents: string[];
  /** What the suite says of Prism's own answer, by check id (one example message each). */
  suiteFindings: Record<string, string>;
}

export interface CrossCheckResult {
  exchanges: number;
  forwarded: number;
  /** Negative requests, and how many of them Prism also found invalid. */
  negatives: { sent: number; flaggedByPrism: number };
  prismAnswers: PrismAnswer[];
  disagreements: Disagreement[];
  /** Disagreements a known Prism limitation accounts for: reported, not failed. */
  explained: (Disagreement & { limitation: string })[];
  /** Checks of the suite that failed an exchange Prism forwarded, i.e. a finding about the mock. */
  suiteChecksFailed: string[];
  /** Workflow steps that could not run; they are failures too. */
  stepErrors: string[];
}

/** Prism adds this header to forwarded answers; it is Prism's, not the upstream's drift. */
const PRISM_HEADER_DRIFT = /undeclared_header sl-violations$/;

const describeIntent = (rec: Recorded): string => {
  const i = rec.exchange.intent;
  if (i.kind === 'positive' && i.assumption) return `positive beyond the spec (${i.assumption})`;
  return i.kind === 'auth' ? `auth/${i.credential}` : i.kind;
};
const messages = (vs: PrismViolation[]) => vs.map((v) => `${v.location.join('.')}: ${v.message}`);

/** Compares Prism's verdict with the suite's on every exchange of a run through the proxy. */
export function compareWithPrism(recorded: Recorded[], stepErrors: string[] = [], versionHeader = ''): CrossCheckResult {
  const result: CrossCheckResult = { exchanges: recorded.length, forwarded: 0, negatives: { sent: 0, flaggedByPrism: 0 }, prismAnswers: [], disagreements: [], explained: [], suiteChecksFailed: [], stepErrors };
  const failed = new Set<string>();
  const answers = new Map<string, PrismAnswer & { intentSet: Set<string> }>();
  for (const rec of recorded) {
    const { exchange } = rec;
    const verdict = prismVerdict(exchange.response, versionHeader);
    const limitation = PRISM_LIMITATIONS.find((l) => l.explains(exchange));
    const disagree = (d: Disagreement) => (limitation ? result.explained.push({ ...d, limitation: limitation.id }) : result.disagreements.push(d));
    const intent = exchange.intent.kind;
    const findings = rec.findings.filter((f) => !f.driftKey || !PRISM_HEADER_DRIFT.test(f.driftKey));
    const base = {
      operation: exchange.operation?.id ?? `${exchange.request.method} ${exchange.request.path}`,
      request: `${exchange.request.method} ${exchange.request.path}`,
      status: exchange.response.status,
      prism: [...messages([...verdict.response, ...verdict.request]), ...(verdict.truncated ? ['(Prism cut its list short: there were more)'] : [])],
      suite: findings.map((f) => `${f.check}: ${f.message}`),
    };
    // Prism refused the request: it listed a violation, or answered with anything but a response problem.
    const rejected = verdict.request.length > 0 || (verdict.answeredByPrism && verdict.problem !== 'VIOLATIONS');
    if (exchange.intent.kind === 'negative') {
      result.negatives.sent++;
      if (rejected) result.negatives.flaggedByPrism++;
      else disagree({ ...base, kind: 'invalid_request_unflagged', suite: [`meant to break: ${exchange.intent.violation}`, ...base.suite] });
    }
    // Valid only because the target does not enforce a constraint the spec states (x-assumptions): the spec, and so Prism, rejects it.
    const beyondSpec = exchange.intent.kind === 'positive' && exchange.intent.assumption !== undefined;
    if (beyondSpec && !rejected) disagree({ ...base, kind: 'invalid_request_unflagged', suite: [`breaks the spec's ${exchange.intent.kind === 'positive' ? exchange.intent.assumption : ''}`, ...base.suite] });
    if ((intent === 'positive' || intent === 'probe') && !beyondSpec && rejected) disagree({ ...base, kind: 'valid_request_rejected' });
    if (verdict.response.length) disagree({ ...base, kind: 'response_violation' });

    if (verdict.answeredByPrism) {
      // The suite judged Prism's answer, not the mock's: what it says is about Prism.
      const key = `${verdict.problem} ${exchange.response.status}`;
      const a = answers.get(key) ?? { problem: verdict.problem!, status: exchange.response.status, count: 0, intents: [], intentSet: new Set(), suiteFindings: {} };
      a.count++;
      a.intentSet.add(describeIntent(rec));
      for (const f of findings) a.suiteFindings[f.check] ??= f.message;
      answers.set(key, a);
      continue;
    }
    result.forwarded++;
    if (!limitation) for (const f of findings) failed.add(f.check);
    if (findings.length && !verdict.response.length) disagree({ ...base, kind: 'suite_only_finding' });
  }
  result.suiteChecksFailed = [...failed].sort();
  result.prismAnswers = [...answers.values()]
    .map(({ intentSet, ...a }) => ({ ...a, intents: [...intentSet].sort() }))
    .sort((a, b) => b.count - a.count);
  return result;
}

export function agrees(r: CrossCheckResult): boolean {
  return r.disagreements.length === 0 && r.stepErrors.length === 0;
}
