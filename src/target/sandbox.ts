import type { Contracts } from '../model/contracts';
import type { Operation } from '../model/spec/load';
import { reconcileIntents, removeAll } from './cleanup';
import { type CredentialRef, fromRef } from './credentials';
import { matchPath } from '../model/spec/load';
import { buildRequest } from './target';
import type { CreatedEntry, IntentEntry } from './ledger';
import type { Exchange } from './exchange';
import { runName } from './names';
import type { HttpRequest } from './http';
import type { Target } from './target';

/** Thrown when the run cannot set up what a test needs; the message says which call failed. */
export class SetupError extends Error {}

/**
 * The target refused a request the run needed to set a test up (a create, a list, a key): not a
 * defect of a rule the test judges, not an error of the suite; reported as such, with the
 * exchange that refused it.
 */
export class RefusedSetup extends SetupError {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/**
 * Sends a setup request and returns the exchange. The run layer judges it on the way (setup
 * traffic is checked like any other), which the sandbox needs to know nothing about. `asks`: the
 * request is no setup but a question (a read proving a delete), whose answer the profile gives.
 */
export type SetupSender = (op: Operation, request: HttpRequest, asks?: string) => Promise<Exchange>;

/**
 * What one test creates: every create announced in the ledger (its marker) before it is sent,
 * every instance recorded once its answer names it, all of it deleted again by `dispose`, newest
 * first. Nothing the run did not create is ever touched.
 */
export class Sandbox {
  private static counter = 0;
  private readonly created: CreatedEntry[] = [];
  private readonly intents = new Map<string, IntentEntry>();
  /** Set once cleanup begins: a test body still running after it (an interrupted one) creates nothing more. */
  private closed = false;

  constructor(
    readonly target: Target,
    private readonly worker: string,
    readonly send: SetupSender,
    /** Told of each instance cleanup deleted (or could not): what the run knows of it changes. */
    private readonly disposed?: (id: string, gone: boolean) => void,
  ) {}

  /** A name unique to this run, worker and call, dated: `ct-1a2b3c-hq3k2x-w0-org7` (see names.ts). */
  uniqueName(kind: string): string {
    return runName(this.target.config.runId, this.worker, kind, ++Sandbox.counter);
  }

  uniqueEmail(local: string): string {
    return `${this.uniqueName(local)}@example.com`;
  }

  /** Announces a create before it is sent. */
  intend(entry: IntentEntry): void {
    if (this.closed) throw new SetupError(`no ${entry.kind} is created once the test's cleanup has begun (the test was interrupted or timed out)`);
    this.intents.set(entry.marker, entry);
    this.target.ledger.intend(entry);
  }

  /** A create's answer arrived: whatever it made is recorded by `adopt`; the marker is no longer in doubt. */
  settle(marker: string): void {
    if (this.intents.delete(marker)) this.target.ledger.settled(marker);
  }

  /** Records an instance a create made (once, however often an answer names it). */
  adopt(entry: CreatedEntry): void {
    if (entry.marker) this.settle(entry.marker);
    if (this.target.ledger.created(entry)) this.created.push(entry);
  }

  /**
   * Deletes everything this sandbox created, newest first, and proves each gone by a read (sent
   * through `send`, so the run's checks judge it): an instance that a read still finds is left
   * behind, its ledger entry kept for global teardown and `npm run sweep`. One inside an instance
   * deleted here is proven gone with it.
   */
  async dispose(): Promise<void> {
    const t = { client: this.target.client, own: this.target.own, version: { header: this.target.contracts.invariants.versions.header, value: this.target.config.apiVersion }, gone: goneStatuses(this.target.contracts), spec: this.target.spec };
    this.closed = true;
    // Creates whose answer never arrived are looked up by their markers first. One not found stays
    // announced in the ledger: its create may still be on its way (a test interrupted mid-request),
    // and global teardown, once every worker is gone, looks again.
    for (const entry of await reconcileIntents(t, [...this.intents.values()])) this.adopt(entry);
    const entries = this.created.splice(0).reverse();
    const deletedHere = new Set(entries.map((e) => e.id));
    // One inside an instance deleted here is proven gone with it: no read of its own.
    const proven = entries.map((e) => (e.within && deletedHere.has(e.within) ? { ...e, readPath: undefined, listPath: undefined } : e));
    const { gone, left } = await removeAll(t, proven, (entry) => (path, ref, status) => {
      // The run learns of a delete it did not send itself before the read that proves it.
      if (status >= 200 && status < 300) this.disposed?.(entry.id, true);
      return this.proofRead(path, ref);
    });
    for (const entry of gone) {
      this.disposed?.(entry.id, true);
      this.target.ledger.deleted(entry.deletePath);
    }
    for (const { entry } of left) this.disposed?.(entry.id, false);
    if (left.length) throw new RefusedSetup(`cleanup left resources behind (global teardown retries them, npm run sweep too): ${left.map((l) => `${l.entry.deletePath}: ${l.status}`).join('; ')}`);
  }

  /** A read proving a delete, judged (as the not-found answer it asks for) by the run's checks. */
  private async proofRead(path: string, ref: CredentialRef): Promise<number> {
    const m = matchPath(this.target.spec, path);
    const op = m && this.target.spec.operations.find((o) => o.method === 'get' && o.path === m.path);
    if (!op) return 0;
    // Cleanup is never refused by the run's request budget.
    const request = { ...buildRequest(this.target, op, { credential: fromRef(ref, this.target.own), params: m!.params }), purpose: 'cleanup' as const };
    return (await this.send(op, request, 'not_found_status')).response.status;
  }
}

/**
 * Statuses of a read that prove an instance gone: 404, and the target's not-found answer where it
 * is one status (where it may be 403 as well as 404, a 403 may be a refusal of what is still there).
 */
export function goneStatuses(contracts: Contracts): Set<number> {
  const answers = contracts.profile.statuses('not_found_status');
  return new Set([404, ...(answers.length === 1 ? answers : [])]);
}
