import { DescribeImageAnimateJob, sleep, type VclmClient } from "@vclm/core";
import { JobFailedError, WaitTimeoutError } from "./errors.js";
import { DueHeap } from "./heap.js";
import { checkOptions } from "./options.js";
import { type DelayPolicy, DurationEstimate, nextDelay } from "./schedule.js";
import { backoff, isTransient } from "./transient.js";
import type { JobAnswer, JobProgress } from "./wait.js";

/**
 * How a {@link JobTracker} polls.
 *
 * @example
 * ```ts
 * const options: TrackerOptions = { requestsPerSecond: 20, onProgress: (job) => console.log(job.JobId, job.Status) };
 * ```
 */
export interface TrackerOptions extends DelayPolicy {
  /** Describe calls per second, at most, for all jobs together (the service's limit is per account): positive and finite. @default 20 */
  readonly requestsPerSecond?: number;
  /** Describe calls in flight, at most. @default 32 */
  readonly concurrency?: number;
  /** Learn how long jobs take from the ones that finish, and aim first checks there. @default true */
  readonly learn?: boolean;
  /** Give up on a job with a {@link WaitTimeoutError} after this many ms. @default 1_800_000 */
  readonly maxWait?: number;
  /** Called with a job's answer, with its JobId, whenever its status changes. */
  readonly onProgress?: ((job: JobProgress) => void) | undefined;
  /** The clock, in ms. @default Date.now */
  readonly now?: () => number;
  /** How to wait. @default setTimeout, ending at once on abort */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

interface Tracked {
  readonly id: string;
  readonly startedAt: number;
  dueAt: number;
  status: string;
  /** Transient failures in a row. */
  failures: number;
  /** No longer wanted (its caller's signal aborted): dropped when it comes up. */
  cancelled?: boolean;
  readonly resolve: (job: JobAnswer) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Waits for many jobs at once, under one request rate: thousands of JobIds, each looked at when it
 * is most likely to have finished, the ones due first first. Memory per job is one small record.
 * A check that fails transiently (network, 5xx, throttling) is tried again later, with growing
 * pauses, until the job's `maxWait`; other failures reject that job's promise.
 *
 * @example
 * ```ts
 * const tracker = new JobTracker(client, { requestsPerSecond: 20 });
 * const videos = await Promise.all(jobIds.map((JobId) => tracker.track(JobId)));
 * ```
 */
export class JobTracker {
  readonly #client: VclmClient;
  readonly #options: TrackerOptions;
  readonly #heap = new DueHeap<Tracked>();
  readonly #estimate = new DurationEstimate();
  readonly #now: () => number;
  #inFlight = 0;
  #nextSlot = 0;
  #pumping = false;
  #wake: AbortController | undefined;

  constructor(client: VclmClient, options: TrackerOptions = {}) {
    checkOptions("JobTracker options", options);
    this.#client = client;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Tracks a job until it is DONE (resolves with the answer) or FAIL ({@link JobFailedError}).
   * `startedAt` (ms) resumes a job submitted earlier; `signal` stops tracking it (the promise
   * rejects with the signal's reason, and the job is not looked at again).
   */
  track(
    JobId: string,
    { startedAt = this.#now(), signal }: { startedAt?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<JobAnswer> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const now = this.#now();
      const job: Tracked = { id: JobId, startedAt, dueAt: now, status: "", failures: 0, resolve, reject };
      signal?.addEventListener(
        "abort",
        () => {
          job.cancelled = true;
          reject(signal.reason);
        },
        { once: true },
      );
      this.#schedule(job, now);
      this.#wake?.abort(); // a new job may be due before the pump's next wake-up
      if (!this.#pumping) void this.#pump();
    });
  }

  /** Jobs still tracked. */
  get size(): number {
    return this.#heap.size + this.#inFlight;
  }

  #schedule(job: Tracked, now: number): void {
    const elapsed = now - job.startedAt;
    const expectedDuration =
      this.#options.learn === false ? this.#options.expectedDuration : (this.#estimate.value ?? this.#options.expectedDuration);
    job.dueAt =
      job.status === "" && elapsed <= 0 && expectedDuration === undefined
        ? now + (this.#options.minDelay ?? 1_000)
        : now + nextDelay(elapsed, { ...this.#options, expectedDuration }, this.#options.random ?? Math.random);
    this.#heap.push(job);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    const { requestsPerSecond = 20, concurrency = 32, sleep: wait = sleep } = this.#options;
    const interval = 1000 / requestsPerSecond;
    try {
      while (this.#heap.size) {
        const now = this.#now();
        const top = this.#heap.peek() as Tracked;
        const at = Math.max(top.dueAt, this.#nextSlot);
        if (at > now || this.#inFlight >= concurrency) {
          this.#wake = new AbortController();
          await wait(this.#inFlight >= concurrency ? interval : at - now, this.#wake.signal).catch(() => {});
          continue;
        }
        const job = this.#heap.pop() as Tracked;
        if (job.cancelled) continue;
        this.#nextSlot = Math.max(this.#nextSlot, now) + interval;
        this.#inFlight++;
        void this.#check(job);
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #check(job: Tracked): Promise<void> {
    try {
      const answer = await this.#client.send(DescribeImageAnimateJob, { JobId: job.id });
      const now = this.#now();
      job.failures = 0;
      if (answer.Status !== job.status) {
        job.status = answer.Status;
        this.#options.onProgress?.({ ...answer, JobId: job.id });
      }
      if (answer.Status === "DONE" || answer.Status === "FAIL") {
        this.#estimate.observe(now - job.startedAt);
        if (answer.Status === "DONE") job.resolve(answer);
        else job.reject(new JobFailedError(job.id, answer.ErrorCode, answer.ErrorMessage));
      } else if (now - job.startedAt > (this.#options.maxWait ?? 1_800_000)) {
        job.reject(new WaitTimeoutError(job.id, now - job.startedAt, answer.Status));
      } else {
        if (!job.cancelled) this.#schedule(job, now);
      }
    } catch (error) {
      // Transient (what @vclm/retry, if used, gave up on, or throttling): later, within maxWait.
      const now = this.#now();
      const elapsed = now - job.startedAt;
      if (!isTransient(error)) job.reject(error);
      else if (elapsed > (this.#options.maxWait ?? 1_800_000)) job.reject(new WaitTimeoutError(job.id, elapsed, job.status || "WAIT"));
      else if (!job.cancelled) {
        job.dueAt = now + backoff(++job.failures, this.#options, this.#options.random ?? Math.random);
        this.#heap.push(job);
      }
    } finally {
      this.#inFlight--;
      if (!this.#pumping && this.#heap.size) void this.#pump();
      else this.#wake?.abort();
    }
  }
}
