import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FAULTS } from '../../mock/faults';
import { ALL_CHECKS } from '../../src/checks/registry';

/**
 * The mock's faults cover the whole contract: every rule of contracts/ is broken by at least one
 * fault, and every check is the intended catcher of at least one (npm run selfcheck then shows
 * that each fault is caught). A rule added to contracts/ without a fault fails here.
 */

/** `envelopes` maps schema names to their entity: one rule, "every envelope carries data". */
const ONE_RULE = new Set(['invariants.envelopes']);

function rulesOf(path: string, node: unknown): string[] {
  if (node && typeof node === 'object' && !Array.isArray(node) && !ONE_RULE.has(path)) {
    return Object.entries(node).flatMap(([key, value]) => rulesOf(`${path}.${key}`, value));
  }
  return [path];
}

const CONTRACT_RULES = ['choices', 'invariants'].flatMap((file) => rulesOf(file, parse(readFileSync(`contracts/${file}.yaml`, 'utf8'))));

test('every rule of contracts/ is broken by at least one mock fault', () => {
  expect(CONTRACT_RULES.length).toBeGreaterThan(30);
  const broken = new Set(FAULTS.map((f) => f.rule));
  expect(CONTRACT_RULES.filter((rule) => !broken.has(rule))).toEqual([]);
});

test('every fault names a rule that exists: a contract rule, the spec, or HTTP', () => {
  const known = new Set([...CONTRACT_RULES, 'spec', 'http']);
  expect(FAULTS.filter((f) => !known.has(f.rule)).map((f) => `${f.name}: ${f.rule}`)).toEqual([]);
});

test('every check is the intended catcher of a fault, and every intended catcher is a check', () => {
  const catchers = new Set(FAULTS.map((f) => f.catches));
  const ids = new Set(ALL_CHECKS.map((c) => c.id));
  expect([...ids].filter((id) => !catchers.has(id))).toEqual([]);
  expect([...catchers].filter((id) => !ids.has(id))).toEqual([]);
});

test('at least 40 distinct faults, across every category the self-check promises', () => {
  expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
  expect(FAULTS.length).toBeGreaterThanOrEqual(40);
  const categories = new Set(FAULTS.map((f) => f.category));
  for (const c of ['shape', 'format', 'status', 'headers', 'auth', 'tenancy', 'validation', 'state', 'idempotency', 'robustness', 'latency']) expect(categories).toContain(c);
});
