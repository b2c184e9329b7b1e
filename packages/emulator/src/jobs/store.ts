/**
 * When a job moves on: it waits `waitMs`, runs `runMs`, then is DONE (or FAIL).
 *
 * @example
 * ```ts
 * const quick: Schedule = { waitMs: 500, runMs: 2_000 };
 * ```
 */
export interface Schedule {
  /** @default 3_000 */
  readonly waitMs?: number;
  /** @default 12_000 */
  readonly runMs?: number;
}

/**
 * A job as the emulator keeps it (about 200 bytes of heap).
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * const job: Job | undefined = emulator.jobs.find("7532277463506747392"); // a JobId the emulator answered
 * ```
 */
export interface Job {
  readonly id: string;
  readonly accountId: string;
  /** Milliseconds, emulator time. */
  readonly createdAt: number;
  readonly waitMs: number;
  readonly runMs: number;
  readonly templateId: string;
  /** The photo it was made from: its ImageUrl, or the SHA-256 hex of its ImageBase64. */
  readonly photo: string;
  readonly segment: boolean;
  readonly failure?: { readonly code: string; readonly message?: string | undefined } | undefined;
}

/**
 * Where a job is, as DescribeImageAnimateJob reports it.
 *
 * @example
 * ```ts
 * const status: Status = "DONE";
 * ```
 */
export type Status = "WAIT" | "RUN" | "FAIL" | "DONE";

/** A video URL is valid this long after the job is done. */
export const VIDEO_TTL_MS = 24 * 60 * 60 * 1000;

export const statusOf = (job: Job, now: number): Status => {
  const age = now - job.createdAt;
  if (age < job.waitMs) return "WAIT";
  if (age < job.waitMs + job.runMs) return "RUN";
  return job.failure ? "FAIL" : "DONE";
};

export const doneAt = (job: Job): number => job.createdAt + job.waitMs + job.runMs;

/**
 * The jobs, by id, bounded: past `maxJobs` the oldest go first (jobs end in order of age, so the
 * oldest are finished ones). JobIds are 64-bit numbers as decimal strings, as the service's: the
 * creation time in milliseconds shifted left 22 bits, plus a counter.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * console.log(`${emulator.jobs.size} jobs`, [...emulator.jobs.all()].map((job) => job.id));
 * ```
 */
export class JobStore {
  readonly #jobs = new Map<string, Job>();
  // Jobs that may still be WAIT or RUN, per account: what the concurrency limit counts.
  readonly #active = new Map<string, Set<Job>>();
  readonly #maxJobs: number;
  #counter = 0;

  /** Keeps at most `maxJobs` jobs. */
  constructor(maxJobs: number) {
    this.#maxJobs = maxJobs;
  }

  /** Makes a job with a new JobId. */
  create(fields: Omit<Job, "id">): Job {
    const id = ((BigInt(Math.floor(fields.createdAt)) << 22n) | BigInt(this.#counter++ & 0x3fffff)).toString();
    const job: Job = { id, ...fields };
    this.#jobs.set(id, job);
    this.#activeOf(job.accountId).add(job);
    if (this.#jobs.size > this.#maxJobs) this.#jobs.delete(this.#jobs.keys().next().value as string);
    return job;
  }

  /** A job of this account; another account's job is as good as missing. */
  get(id: string, accountId: string): Job | undefined {
    const job = this.#jobs.get(id);
    return job?.accountId === accountId ? job : undefined;
  }

  /** Any job, for the video URLs and the admin API. */
  find(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  /** How many of an account's jobs are still WAIT or RUN (finished ones leave the count as they are seen). */
  activeCount(accountId: string, now: number): number {
    const active = this.#activeOf(accountId);
    for (const job of active) if (now >= doneAt(job)) active.delete(job);
    return active.size;
  }

  #activeOf(accountId: string): Set<Job> {
    let active = this.#active.get(accountId);
    if (!active) {
      active = new Set();
      this.#active.set(accountId, active);
    }
    return active;
  }

  /** How many jobs are kept. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Every job kept, oldest first. */
  all(): IterableIterator<Job> {
    return this.#jobs.values();
  }

  /** For persistence: every job, and the counter. */
  snapshot(): { jobs: Job[]; counter: number } {
    return { jobs: [...this.#jobs.values()], counter: this.#counter };
  }

  /** Takes back a {@link JobStore.snapshot}. */
  restore({ jobs, counter }: { jobs: Job[]; counter: number }): void {
    this.#jobs.clear();
    this.#active.clear();
    for (const job of jobs) {
      this.#jobs.set(job.id, job);
      this.#activeOf(job.accountId).add(job);
    }
    this.#counter = counter;
  }
}
