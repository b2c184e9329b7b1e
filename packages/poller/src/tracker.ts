import { DescribeImageAnimateJob, isServiceError, sleep, type VclmClient } from "@vclm/core";
import { JobFailedError, WaitTimeoutError } from "./errors.js";
import { DueHeap } from "./heap.js";
import { type DelayPolicy, DurationEstimate, nextDelay } from "./schedule.js";
import type { JobAnswer } from "./wait.js";

/**
 * How a {@link JobTracker} polls.
 *
 * @example
 * ```ts
 * const options: TrackerOptions = { requestsPerSecond: 20, onProgress: (JobId, job) => console.log(JobId, job.Status) };
 * ```
 */
export interface TrackerOptions extends DelayPolicy {
  /** Describe calls per second, at most, for all jobs together (the service's limit is per account). @default 20 */
  readonly requestsPerSecond?: number;
  /** Describe calls in flight, at most. @default 32 */
  readonly concurrency?: number;
  /** Learn how long jobs take from the ones that finish, and aim first checks there. @default true */
  readonly learn?: boolean;
  /** Give up on a job with a {@link WaitTimeoutError} after this many ms. @default 1_800_000 */
  readonly maxWait?: number;
  /** Called with a job's answer whenever its status changes. */
  readonly onProgress?: ((JobId: string, job: JobAnswer) => void) | undefined;
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
  readonly resolve: (job: JobAnswer) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Waits for many jobs at once, under one request rate: thousands of JobIds, each looked at when it
 * is most likely to have finished, the ones due first first. Memory per job is one small record.
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
    this.#client = client;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Tracks a job until it is DONE (resolves with the answer) or FAIL ({@link JobFailedError}).
   * `startedAt` (ms) resumes a job submitted earlier.
   */
  track(JobId: string, { startedAt = this.#now() }: { startedAt?: number } = {}): Promise<JobAnswer> {
    return new Promise((resolve, reject) => {
      const now = this.#now();
      this.#schedule({ id: JobId, startedAt, dueAt: now, status: "", resolve, reject }, now);
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
      if (answer.Status !== job.status) {
        job.status = answer.Status;
        this.#options.onProgress?.(job.id, answer);
      }
      if (answer.Status === "DONE" || answer.Status === "FAIL") {
        this.#estimate.observe(now - job.startedAt);
        if (answer.Status === "DONE") job.resolve(answer);
        else job.reject(new JobFailedError(job.id, answer.ErrorCode, answer.ErrorMessage));
      } else if (now - job.startedAt > (this.#options.maxWait ?? 1_800_000)) {
        job.reject(new WaitTimeoutError(job.id, now - job.startedAt, answer.Status));
      } else {
        this.#schedule(job, now);
      }
    } catch (error) {
      // Throttling and transient faults are left to @vclm/retry; what reaches here is final for this job,
      // except throttling without a retry plugin, which just means: later.
      if (isServiceError(error) && error.code.startsWith("RequestLimitExceeded")) this.#schedule(job, this.#now());
      else job.reject(error);
    } finally {
      this.#inFlight--;
      if (!this.#pumping && this.#heap.size) void this.#pump();
      else this.#wake?.abort();
    }
  }
}
