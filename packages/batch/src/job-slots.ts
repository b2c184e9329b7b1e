import type { AccountLimits } from "@vclm/core";

/** How often a batch waiting for a slot of shared limits looks again (other processes free slots without telling it). */
const LOOK_AGAIN_MS = 250;

/**
 * The account's concurrent jobs as one batch holds them, through its {@link AccountLimits}: a slot
 * per photo (by key), taken before its Submit and kept until its job ends. Waiters wake when this
 * process gives a slot back, and, with shared limits, look again every quarter second (another
 * process may have). Held slots are renewed while their jobs run.
 */
export class JobSlots {
  readonly #limits: AccountLimits;
  readonly #held = new Set<string>();
  readonly #waiting = new Set<() => void>();
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #shared: boolean;
  readonly #told: ((count: number) => void) | undefined;
  /** This process's name for a photo's slot: two processes never hold (or free) one slot by one name. */
  readonly #slot: (key: string) => string;
  #renewing: ReturnType<typeof setInterval> | undefined;
  /** The fewest jobs the account was seen to take (from JobNumExceed), or the limit given. */
  learnt: number | undefined;
  /** The limit now, as the last refusal said. */
  limit: number | undefined;

  constructor(
    limits: AccountLimits,
    {
      shared,
      concurrentJobs,
      sleep,
      owner = crypto.randomUUID().slice(0, 8),
      held,
    }: {
      shared: boolean;
      concurrentJobs: number | undefined;
      sleep: (ms: number, signal: AbortSignal) => Promise<void>;
      owner?: string;
      /** Told the slots held whenever their count changes (the `vclm.slots.in_use` gauge). */
      held?: (count: number) => void;
    },
  ) {
    this.#slot = (key) => `${owner}:${key}`;
    this.#told = held;
    this.#limits = limits;
    this.#shared = shared;
    this.#sleep = sleep;
    this.learnt = concurrentJobs;
    this.limit = concurrentJobs;
    if (limits.renewEveryMs !== undefined) {
      this.#renewing = setInterval(() => {
        if (this.#held.size) this.#limits.renew([...this.#held].map(this.#slot)).catch(() => {}); // the next try renews them; a lease outlives two misses
      }, limits.renewEveryMs);
      (this.#renewing as { unref?: () => void }).unref?.();
    }
  }

  /** Slots this process holds. */
  get active(): number {
    return this.#held.size;
  }

  /** Takes a slot for `holder`, waiting while the account is full; rejects with the signal's reason on abort. */
  async acquire(holder: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      if (await this.#limits.acquire(this.#slot(holder))) {
        this.#hold(holder);
        return;
      }
      const looked = new AbortController();
      const wake = () => looked.abort();
      const abort = () => looked.abort();
      this.#waiting.add(wake);
      signal.addEventListener("abort", abort, { once: true });
      try {
        await (this.#shared
          ? this.#sleep(LOOK_AGAIN_MS, looked.signal)
          : new Promise<void>((resolve) => looked.signal.addEventListener("abort", () => resolve(), { once: true })));
      } catch {
        // woken
      } finally {
        this.#waiting.delete(wake);
        signal.removeEventListener("abort", abort);
      }
    }
  }

  /** Holds a slot for a job that exists (picked up from the journal): whatever the limit. */
  async hold(holder: string): Promise<void> {
    this.#hold(holder);
    await this.#limits.hold(this.#slot(holder));
  }

  /** Gives `holder`'s slot back, and lets waiters try again. */
  async release(holder: string): Promise<void> {
    if (!this.#held.delete(holder)) return;
    this.#told?.(this.#held.size);
    try {
      await this.#limits.release(this.#slot(holder));
    } finally {
      for (const wake of [...this.#waiting]) wake();
    }
  }

  /** The account refused `holder`'s Submit as full: resolves to the lower limit, if it went down. */
  async refused(holder: string): Promise<number | undefined> {
    const limit = await this.#limits.refused(this.#slot(holder));
    this.learnt = Math.min(this.learnt ?? Number.POSITIVE_INFINITY, limit);
    const lower = this.limit === undefined || limit < this.limit;
    this.limit = limit;
    return lower ? limit : undefined;
  }

  #hold(holder: string): void {
    const before = this.#held.size;
    this.#held.add(holder);
    if (this.#held.size !== before) this.#told?.(this.#held.size);
  }

  /** Stops renewing (the run is over). */
  close(): void {
    clearInterval(this.#renewing);
  }
}
