import { performance } from 'node:perf_hooks';
import { Document } from 'yaml';
import type { Answer, Contracts, TargetProfile } from '../../model/contracts';
import { messageOf } from '../../model/errors';
import type { Target } from '../../target/target';
import { scopeKind } from '../generation/plan';
import { evidence, Prober, probeFor } from './probes';

export interface Calibrated {
  question: string;
  /** The answer seen, when it is one a conforming server may give. */
  answer?: Answer;
  evidence?: { request: string; response: string };
  /** An answer seen that no conforming server gives: a defect, reported, never written into the profile. */
  outside?: Answer;
  /** Why the question was not calibrated. */
  skipped?: string;
}

export interface Calibration {
  target: string;
  on: string;
  results: Calibrated[];
  requests: number;
  seconds: number;
}

/**
 * Probes a live target for its answers to the open questions: a few dozen requests, reads above
 * all, every write inside one organization it creates and deletes again. Facts the sources state
 * are not asked: calibration only settles open questions.
 */
export async function calibrate(target: Target): Promise<Calibration> {
  const started = performance.now();
  const before = target.client.requestsSent;
  const { questions } = target.contracts;
  const p = new Prober(target);
  const results: Calibrated[] = [];
  try {
    p.org = await p.world.fresh(scopeKind(target.spec) ?? '');
    for (const question of questions.keys()) {
      const probe = questions.get(question)!.shownBy === 'clients' ? 'no request shows it: it decides what a client may do' : probeFor(target.spec, question);
      if (probe === undefined || typeof probe === 'string') {
        results.push({ question, skipped: probe ?? 'no probe for this question' });
        continue;
      }
      const seen = await probe(p).catch((e) => ({ skipped: `the probe could not run: ${messageOf(e)}` }));
      if ('skipped' in seen) results.push({ question, skipped: seen.skipped });
      else if (questions.get(question)!.answers.some((a) => String(a) === String(seen.answer))) results.push({ question, answer: seen.answer, evidence: evidence(seen.exchange, target.contracts.invariants.versions.header) });
      else results.push({ question, outside: seen.answer, evidence: evidence(seen.exchange, target.contracts.invariants.versions.header) });
    }
  } finally {
    await p.sb.dispose();
  }
  return { target: target.config.baseUrl ?? '', on: new Date().toISOString().slice(0, 10), results, requests: target.client.requestsSent - before, seconds: (performance.now() - started) / 1000 };
}

const asAnswer = (q: Contracts['questions'] extends ReadonlyMap<string, infer Q> ? Q : never, a: Answer) => q.answers.find((x) => String(x) === String(a)) ?? a;

/**
 * The proposed profile as YAML: each calibrated answer with what showed it; each question not
 * calibrated with the base profile's answer and a comment saying why; the defects seen in the
 * header, for a person to review before committing.
 */
export function proposal(c: Calibration, base: TargetProfile, questions: Contracts['questions'], name: string): string {
  const answers: Record<string, unknown> = {};
  for (const r of c.results) {
    const q = questions.get(r.question)!;
    if (r.answer !== undefined) answers[r.question] = { accept: [asAnswer(q, r.answer)], observed: { on: c.on, ...r.evidence } };
    else {
      const e = base.entry(r.question);
      const basis = e.basis.kind === 'guess' ? { guess: e.basis.why } : e.basis.kind === 'source' ? { source: e.basis.source } : { observed: { on: e.basis.on, request: e.basis.request, response: e.basis.response } };
      answers[r.question] = { accept: e.accept, ...basis };
    }
  }
  const doc = new Document({ describes: `${c.target}, as calibrated on ${c.on}`, answers });
  const outside = c.results.filter((r) => r.outside !== undefined);
  doc.commentBefore = [
    ` Proposed by npm run calibrate against ${c.target} on ${c.on} (${c.requests} requests, ${c.seconds.toFixed(1)} s).`,
    ` Review each answer, commit this file, and run with CONFORMANCE_TARGET_PROFILE=${name}.`,
    ` Questions not calibrated keep the answers of the base profile (${base.name}), with a comment saying why.`,
    ...(outside.length
      ? [' Answers no conforming server gives (defects to report, not written as answers):', ...outside.map((r) => `   ${r.question}: ${r.outside} (${r.evidence?.request} -> ${r.evidence?.response})`)]
      : []),
  ].join('\n');
  const map = doc.get('answers', true) as { items: { key: { commentBefore?: string; value: string } }[] };
  for (const item of map.items) {
    const r = c.results.find((x) => x.question === item.key.value);
    if (r?.skipped) item.key.commentBefore = ` not calibrated: ${r.skipped}`;
    else if (r?.outside !== undefined) item.key.commentBefore = ` not calibrated: the target answered ${r.outside}, which no conforming server does`;
  }
  return doc.toString({ lineWidth: 0 });
}
