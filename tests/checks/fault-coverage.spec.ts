import { expect, test } from '@playwright/test';
import { FAULTS } from '../../mock/faults';
import { ALL_CHECKS } from '../../src/checks/registry';
import { loadContracts, profilesIn } from '../../src/model/contracts';

/**
 * The mock covers the whole contract: every invariant is broken by at least one fault, every open
 * question is answered otherwise by a fault or by a variant profile the mock can be started as,
 * and every check is the intended catcher of a fault (npm run selfcheck then shows each fault is
 * caught; tests/checks/*-fire.spec.ts show the variants are). A rule added without one fails here.
 */
const contracts = loadContracts();
const invariants = Object.keys(contracts.invariants).map((id) => `invariants.${id}`);
const questions = [...contracts.questions.keys()];

/** Questions a variant profile answers differently from the embedded one. */
function differedByVariants(): Set<string> {
  const base = contracts.profile;
  const out = new Set<string>();
  for (const name of profilesIn(contracts.dir).filter((n) => n.startsWith('variant-'))) {
    const variant = loadContracts(undefined, name).profile;
    for (const q of questions) if (String(variant.first(q)) !== String(base.first(q))) out.add(q);
  }
  return out;
}

test('every invariant of contracts/invariants.yaml is broken by at least one mock fault', () => {
  expect(invariants.length).toBeGreaterThan(12);
  const broken = new Set(FAULTS.map((f) => f.rule));
  expect(invariants.filter((rule) => !broken.has(rule))).toEqual([]);
});

test('every open question is answered otherwise by a mock fault or a variant profile', () => {
  const byFault = new Set(FAULTS.filter((f) => f.rule.startsWith('questions.')).map((f) => f.rule.slice('questions.'.length)));
  const byVariant = differedByVariants();
  // A question no request shows (it judges clients: the SDK gate's retry check) has nothing for the mock to break.
  const shownByClients = new Set(questions.filter((q) => contracts.questions.get(q)!.shownBy === 'clients'));
  expect([...shownByClients]).toEqual(['conflict_runs_request']);
  expect(questions.filter((q) => !byFault.has(q) && !byVariant.has(q) && !shownByClients.has(q))).toEqual([]);
});

test('every fault names a rule that exists: an invariant, a question, the spec, or HTTP', () => {
  const known = new Set([...invariants, ...questions.map((q) => `questions.${q}`), 'spec', 'http']);
  expect(FAULTS.filter((f) => !known.has(f.rule)).map((f) => `${f.name}: ${f.rule}`)).toEqual([]);
});

test('every check is the intended catcher of a fault, and every intended catcher is a check', () => {
  // A limit per container: no resource of the Polytomic spec has one; tests/engine/resource-families.spec.ts shows it caught.
  const catchers = new Set([...FAULTS.map((f) => f.catches), 'container_limit']);
  const ids = new Set(ALL_CHECKS.map((c) => c.id));
  expect([...ids].filter((id) => !catchers.has(id))).toEqual([]);
  expect([...catchers].filter((id) => !ids.has(id as (typeof ALL_CHECKS)[number]['id']))).toEqual([]);
});

test('at least 40 distinct faults, across every category the self-check promises', () => {
  expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
  expect(FAULTS.length).toBeGreaterThanOrEqual(40);
  const categories = new Set(FAULTS.map((f) => f.category));
  for (const c of ['shape', 'format', 'status', 'headers', 'auth', 'tenancy', 'validation', 'state', 'idempotency', 'robustness', 'latency', 'permissions', 'identity']) expect(categories).toContain(c);
});
