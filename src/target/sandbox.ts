import type { Contracts } from '../model/contracts';
import type { Operation } from '../model/spec/load';
import { deleteEntry, reconcileIntents } from './cleanup';
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
 * traffic is checked like any other), which the sandbox needs to know nothing about.
 */
export type SetupSender = (op: Operation, request: HttpRequest) => Promise<Exchange>;

/**
 * What one test creates: every create announced in the ledger (its marker) before it is sent,
 * every instance recorded once its answer names it, all of it deleted again by `dispose`, newest
 * first. Nothing the run did not create is ever touched.
 */
export class Sandbox {
  private static counter = 0;
  private readonly created: CreatedEntry[] = [];
  private readonly intents = new Map<string, IntentEntry>();

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

  uniqueEmail(local = 'user'): string {
    return `${this.uniqueName(local)}@example.com`;
  }

  /** Announces a create before it is sent. */
  intend(entry: IntentEntry): void {
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

  /** Deletes everything this sandbox created, newest first; what is gone already is fine. */
  async dispose(): Promise<void> {
    const t = { client: this.target.client, partner: this.target.partner, version: this.target.config.apiVersion, gone: goneStatuses(this.target.contracts), spec: this.target.spec };
    const errors: string[] = [];
    // Creates whose answer never arrived are looked up by their markers first.
    for (const entry of await reconcileIntents(t, [...this.intents.values()])) this.adopt(entry);
    for (const i of [...this.intents.keys()]) this.settle(i);
    for (const entry of this.created.splice(0).reverse()) {
      const r = await deleteEntry(t, entry.deletePath, entry.credential);
      this.disposed?.(entry.id, r.gone);
      if (r.gone) this.target.ledger.deleted(entry.deletePath);
      else errors.push(`${entry.deletePath}: ${r.status}`);
    }
    if (errors.length) throw new RefusedSetup(`cleanup left resources behind (global teardown retries them): ${errors.join('; ')}`);
  }
}

/** Statuses that say a resource is gone already: 404, and the target's not-found answer. */
export function goneStatuses(contracts: Contracts): Set<number> {
  return new Set([404, ...contracts.profile.statuses('not_found_status')]);
}
