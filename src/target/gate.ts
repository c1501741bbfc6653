import { performance } from 'node:perf_hooks';

/**
 * What a request may do before it is sent: wait for its turn under the run's request rate, and,
 * where the run has a request budget, be refused once it is spent. Requests that clean up what the
 * run made are never refused (they are counted apart): safety comes before the budget.
 */
export interface RequestGate {
  /**
   * Resolves when the request (or `n` requests meant to leave together) may go; rejects with
   * BudgetSpent where the budget is spent.
   */
  take(purpose: 'test' | 'cleanup', n?: number): Promise<void>;
}

export class BudgetSpent extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The rate and budget of one process: requests spaced 1000/rps ms apart, at most `budget` of them.
 * Used where one process sends everything (the self-check, calibration, a command), and as the
 * arithmetic the run's coordinator applies to every worker at once.
 */
export class Pacer {
  private next = 0;
  spent = 0;
  cleanup = 0;

  constructor(
    private readonly rps: number,
    readonly budget?: number,
  ) {}

  /**
   * Milliseconds to wait before the request, or undefined when the budget refuses it. `n` requests
   * leaving together (a race to provoke) wait as long before and after them as n spaced requests
   * would, so that no second holds more than the rate.
   */
  slot(purpose: 'test' | 'cleanup', now = performance.now(), n = 1): number | undefined {
    if (purpose === 'test') {
      if (this.budget !== undefined && this.spent + n > this.budget) return undefined;
      this.spent += n;
    } else this.cleanup += n;
    if (this.rps <= 0) return 0;
    const gap = 1000 / this.rps;
    const at = Math.max(now, this.next + (n - 1) * gap);
    this.next = at + n * gap;
    return at - now;
  }

  get remaining(): number | undefined {
    return this.budget === undefined ? undefined : Math.max(0, this.budget - this.spent);
  }
}

/** A gate for one process. */
export class LocalGate implements RequestGate {
  constructor(readonly pacer: Pacer) {}

  async take(purpose: 'test' | 'cleanup', n = 1): Promise<void> {
    const wait = this.pacer.slot(purpose, performance.now(), n);
    if (wait === undefined) throw new BudgetSpent(`the request budget (${this.pacer.budget}) is spent`);
    if (wait > 0) await sleep(wait);
  }
}
