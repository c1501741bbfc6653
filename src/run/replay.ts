import { randomUUID } from 'node:crypto';
import type { Recorded } from '../checks/types';
import { UserError } from '../model/errors';
import { resourceOf } from '../model/spec/resources';
import { valueAt } from '../model/spec/pointer';
import { actingOf, authHeaders, type Credential, credential, orgScoped, unknownCredential } from '../target/credentials';
import type { HttpRequest } from '../target/http';
import { runNameIn } from '../target/names';
import type { SuiteEnv } from './env';
import { adoptAnswer, announce, type Instance } from './generation/plan';
import type { Reproduction, ReproStep } from './reproduction';
import { perform, type Session } from './session';
import type { Route } from '../target/target';

/**
 * Runs a reproduction against the session's target: fresh names and idempotency keys, each
 * request judged by the checks like any other (the run record learns from it), what it makes
 * announced in the ledger before it is sent and recorded for cleanup once answered (the caller
 * disposes of the sandbox). Returns the last request's exchange and findings.
 */
export async function replayReproduction(session: Session, env: SuiteEnv, r: Reproduction): Promise<{ final: Recorded; sent: number }> {
  const vars = new Map<string, string>();
  for (const f of r.fresh) vars.set(f.name, f.kind === 'name' ? env.sb.uniqueName('repro') : randomUUID());
  const instances = new Map<string, Instance>();
  const keys = new Map<string, Credential>();
  const fill = (s: string) => s.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, v) => vars.get(v) ?? m);
  const configured = (label: string): Credential => {
    if (label === session.own.label) return session.own;
    if (session.foreignPartner && label === session.foreignPartner.label) return session.foreignPartner;
    if (label === 'UNKNOWN_KEY') return unknownCredential();
    throw new UserError(`the reproduction sends ${label}, which this run does not have: set it, then run it again`);
  };
  const credentialOf = (step: ReproStep): Credential | undefined => {
    if (!step.auth) return undefined;
    const key = keys.get(step.auth.key) ?? configured(step.auth.key);
    return step.auth.scheme === 'Basic' && step.auth.user ? orgScoped(key, fill(step.auth.user)) : key;
  };
  let last: Recorded | undefined;
  for (const step of r.steps) {
    const cred = credentialOf(step);
    const route = step.operation ? session.spec.byId.get(step.operation) : undefined;
    if (step.operation && !route) throw new UserError(`the reproduction sends ${step.operation}, which the spec (${session.config.specPath}) does not have: reproduce it with the spec it was found with`);
    const body = step.body === undefined ? undefined : fill(step.body);
    const request: HttpRequest = {
      method: step.method,
      path: fill(step.path),
      ...(step.query ? { query: Object.fromEntries(Object.entries(step.query).map(([k, v]) => [k, fill(v)])) } : {}),
      headers: { ...Object.fromEntries(Object.entries(step.headers).map(([k, v]) => [k, fill(v)])), ...authHeaders(cred) },
      ...(body === undefined ? {} : step.raw ? { rawBody: body } : { body: JSON.parse(body) }),
      as: actingOf(cred),
    };
    const made = step.capture?.instance;
    const resource = made && resourceOf(session.spec, made.kind);
    // Where it lives: an instance made before, by its variable, or one the target had (its id).
    const within = made?.within && resource?.within ? (instances.get(made.within) ?? { kind: resource.within.kind, id: made.within, data: {} }) : undefined;
    const marker = resource && runNameIn((request.body as Record<string, unknown> | undefined)?.[resource.marker]);
    if (resource && marker) announce(env.world, resource, marker, within);
    last = await perform(session, route ?? ({ method: step.method.toLowerCase(), path: step.path } as Route), request, step.intent);
    if (resource && marker) env.sb.settle(marker);
    const ex = last.exchange;
    if (route && resource) {
      const instance = adoptAnswer(env.world, route, ex, within);
      if (instance) instances.set(step.capture!.name, instance);
    }
    if (step.capture && step !== r.steps.at(-1)) {
      const value = valueAt(ex.response.json, step.capture.pointer);
      if (typeof value !== 'string') throw new RefusedReproduction(step, ex.response.status);
      vars.set(step.capture.name, value);
      if (!made) {
        // A minted key: it stands for the last instance its path names, acting where that one lives.
        const holder = [...instances.values()].filter((i) => request.path.includes(i.id)).at(-1);
        keys.set(step.capture.name, credential(step.capture.minted ?? 'minted', value, step.capture.name, { root: session.own.root, ...(holder ? { holder: holder.id, ...(holder.within ? { scope: holder.within.id } : {}) } : {}) }));
      }
    }
  }
  return { final: last!, sent: r.steps.length };
}

/** A request that makes what the failing one needs was not answered with it: the target refused the setup. */
export class RefusedReproduction extends Error {
  constructor(step: ReproStep, status: number) {
    super(`${step.method} ${step.path} answered ${status} without the ${step.capture?.name} it should make; the reproduction cannot go on`);
  }
}
