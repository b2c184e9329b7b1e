import {
  type AccountLimits,
  type Clock,
  classifyFailure,
  DescribeImageAnimateJob,
  mayRetry,
  type ObservedJob,
  systemClock,
  type VclmClient,
  type VclmSpan,
} from "@vclm/core";
import { RateWindow } from "@vclm/core/internal";
import { JobFailedError, WaitTimeoutError } from "./errors.js";
import { DueHeap } from "./heap.js";
import { checkOptions } from "./options.js";
import { type DelayPolicy, DurationEstimate, nextDelay, pauseAfter } from "./schedule.js";
import type { JobAnswer, JobProgress } from "./wait.js";

/** The reason the pump's sleep is cut short: a constant, as `abort()` would make (and throw away) a DOMException each time. */
const WAKE = Symbol("wake");
/** How long a turn of shared limits is waited for before the tracker keeps to its own rate instead. */
const PACE_ANSWER_MS = 1_000;
/** How long the tracker keeps to its own rate after the shared limits did not answer. */
const SHARED_AWAY_MS = 30_000;

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
  /**
   * How long each `track()` may wait, in ms, counted from that call (not from the job's
   * `startedAt`): a job resumed long after its Submit gets the whole wait. The last check comes at
   * `maxWait`; then the job's promise rejects with a {@link WaitTimeoutError}. @default 1_800_000 (30 minutes)
   */
  readonly maxWait?: number;
  /** Called with a job's answer, with its JobId, whenever its status changes. */
  readonly onProgress?: ((job: JobProgress) => void) | undefined;
  /** Time, waits and jitter: a virtual clock runs hours of polling at once. @default systemClock */
  readonly clock?: Clock | undefined;
  /**
   * The account's limits shared with other processes (`redisAccountLimits` from `@vclm/redis`):
   * each Describe takes its turn of the fleet's rate, instead of this tracker's `requestsPerSecond`
   * (which it keeps to while the shared limits do not answer: the jobs it follows are paid for).
   */
  readonly limits?: Pick<AccountLimits, "pace"> | undefined;
}

interface Tracked {
  readonly id: string;
  /** When the job was submitted: how far along it is, for the schedule and the learnt length. */
  readonly startedAt: number;
  /** When `track()` was called: `maxWait` counts from here. */
  readonly trackedAt: number;
  dueAt: number;
  status: string;
  /** Transient failures in a row. */
  failures: number;
  /** No longer wanted (its caller's signal aborted): dropped when it comes up. */
  cancelled?: boolean;
  /** The caller's signal, shared with the other jobs tracked under it. */
  readonly signal: AbortSignal | undefined;
  readonly resolve: (job: JobAnswer) => void;
  readonly reject: (error: unknown) => void;
  /** Its span and log lines, with `observe` on the client. */
  readonly seen: ObservedJob | undefined;
}

/**
 * Waits for many jobs at once, under one request rate: thousands of JobIds, each looked at when it
 * is most likely to have finished, the ones due first first. Memory per job is one small record.
 * A check that fails transiently (network, 5xx, throttling) is tried again later, with growing
 * pauses, until the job's `maxWait`; other failures reject that job's promise.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const jobIds = ["7532277463506747392", "7532277463506747393"]; // from your Submits' answers
 * const tracker = new JobTracker(client, { requestsPerSecond: 20 });
 * const videos = await Promise.all(jobIds.map((JobId) => tracker.track(JobId)));
 * ```
 */
export class JobTracker {
  readonly #client: VclmClient;
  readonly #options: TrackerOptions;
  readonly #heap = new DueHeap<Tracked>();
  readonly #estimate = new DurationEstimate();
  readonly #clock: Clock;
  /** The account's Describe rate, shared by every job tracked. */
  readonly #rate: RateWindow;
  #inFlight = 0;
  /** Until when the shared limits are not asked (they did not answer): its own rate meanwhile. */
  #sharedAwayUntil = 0;
  #pumping = false;
  #wake: AbortController | undefined;
  /**
   * The pending jobs of each caller's signal. One signal often covers a whole batch: it gets one
   * abort listener, added with its first job and removed when its last one settles, not one per
   * job (an 11th listener makes Node print MaxListenersExceededWarning).
   */
  readonly #bySignal = new Map<AbortSignal, { jobs: Set<Tracked>; onAbort: () => void }>();

  constructor(client: VclmClient, options: TrackerOptions = {}) {
    checkOptions("JobTracker options", options);
    this.#client = client;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#rate = new RateWindow(options.requestsPerSecond ?? 20);
  }

  /**
   * Tracks a job until it is DONE (resolves with the answer), FAIL ({@link JobFailedError}) or
   * `maxWait` from this call ({@link WaitTimeoutError}). `startedAt` (ms, default now) is when the
   * job was submitted, for a job submitted earlier: it paces the checks and the learnt job length,
   * and does not shorten the wait. `signal` stops tracking it (the promise rejects with the
   * signal's reason, and the job is not looked at again). With `observe` on the client, the job
   * has a span (`vclm.track`, a child of `parent`), its events the statuses.
   */
  track(
    JobId: string,
    {
      startedAt = this.#clock.now(),
      signal,
      parent,
    }: { startedAt?: number; signal?: AbortSignal | undefined; parent?: VclmSpan | undefined } = {},
  ): Promise<JobAnswer> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const now = this.#clock.now();
      const seen = this.#client.state.observer?.job(JobId, "vclm.track", parent);
      const job: Tracked = {
        id: JobId,
        startedAt,
        trackedAt: now,
        dueAt: now,
        status: "",
        failures: 0,
        signal,
        resolve: (answer) => {
          this.#forget(job);
          seen?.end();
          resolve(answer);
        },
        reject: (error) => {
          this.#forget(job);
          seen?.end(error);
          reject(error);
        },
        seen,
      };
      if (signal) this.#listen(job, signal);
      this.#schedule(job, now);
      this.#wake?.abort(WAKE); // a new job may be due before the pump's next wake-up
      if (!this.#pumping) void this.#pump();
    });
  }

  /** Adds `job` to its signal's jobs, and the signal's one abort listener with the first of them. */
  #listen(job: Tracked, signal: AbortSignal): void {
    let entry = this.#bySignal.get(signal);
    if (!entry) {
      // A closure over the signal, not event.currentTarget: Node 20 passes null there to a `once`
      // listener that is not the signal's first.
      const onAbort = () => {
        const jobs = this.#bySignal.get(signal)?.jobs ?? new Set<Tracked>();
        this.#bySignal.delete(signal); // the listener was added `once`: it is gone already
        for (const pending of jobs) {
          pending.cancelled = true;
          pending.reject(signal.reason);
        }
      };
      entry = { jobs: new Set(), onAbort };
      this.#bySignal.set(signal, entry);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    entry.jobs.add(job);
  }

  /** Drops a settled job from its signal's jobs, and the signal's listener with the last of them. */
  #forget(job: Tracked): void {
    const { signal } = job;
    if (!signal) return;
    const entry = this.#bySignal.get(signal);
    if (!entry?.jobs.delete(job) || entry.jobs.size) return;
    this.#bySignal.delete(signal);
    signal.removeEventListener("abort", entry.onAbort);
  }

  /** Jobs still tracked. */
  get size(): number {
    return this.#heap.size + this.#inFlight;
  }

  #schedule(job: Tracked, now: number): void {
    const elapsed = now - job.startedAt;
    const expectedDuration =
      this.#options.learn === false ? this.#options.expectedDuration : (this.#estimate.value ?? this.#options.expectedDuration);
    const minDelay = this.#options.minDelay ?? 1_000;
    // A job submitted a while ago (a resumed batch) may be done already: its first look is now.
    const resumed = job.status === "" && elapsed > minDelay;
    const delay = resumed
      ? 0
      : job.status === "" && elapsed <= 0 && expectedDuration === undefined
        ? minDelay
        : nextDelay(elapsed, { ...this.#options, expectedDuration }, () => this.#clock.random());
    job.dueAt = Math.min(now + delay, this.#giveUpAt(job));
    this.#heap.push(job);
  }

  /** When to stop waiting for `job`: its last check comes then, not one long delay later. */
  #giveUpAt(job: Tracked): number {
    return job.trackedAt + (this.#options.maxWait ?? 1_800_000);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    const { requestsPerSecond = 20, concurrency = 32 } = this.#options;
    const interval = 1000 / requestsPerSecond;
    try {
      while (this.#heap.size) {
        const now = this.#clock.now();
        const top = this.#heap.peek() as Tracked;
        const at = Math.max(top.dueAt, now + this.#rate.delay(now));
        if (at > now || this.#inFlight >= concurrency) {
          this.#wake = new AbortController();
          await this.#clock.sleep(this.#inFlight >= concurrency ? interval : at - now, this.#wake.signal).catch(() => {});
          continue;
        }
        const job = this.#heap.pop() as Tracked;
        if (job.cancelled) continue;
        this.#inFlight++;
        // One turn of a shared rate at a time, taken just before its call: turns reserved ahead
        // would leave late (a slow reply, a busy machine) and bunch up with the ones after them.
        if (this.#options.limits) await this.#turn(this.#options.limits);
        else this.#rate.take(now);
        void this.#check(job);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Waits for a turn of the shared rate. */
  async #turn(limits: Pick<AccountLimits, "pace">): Promise<void> {
    // The shared limits that do not answer within a second (Redis is away; a client that queues
    // commands waits for minutes): a Describe costs nothing, and the jobs it follows are paid for,
    // so it keeps to this tracker's own rate meanwhile.
    if (this.#clock.now() < this.#sharedAwayUntil) return this.#sleepFor(this.#rate.take(this.#clock.now()));
    const late = new AbortController();
    const answer = await Promise.race([
      limits.pace(DescribeImageAnimateJob.action).then(
        (ms) => ({ ms }),
        () => undefined,
      ),
      this.#clock.sleep(PACE_ANSWER_MS, late.signal).then(
        () => undefined,
        () => undefined,
      ),
    ]);
    late.abort();
    // Not answered in time: asked again only after a while, as each unanswered ask costs a second.
    if (!answer) this.#sharedAwayUntil = this.#clock.now() + SHARED_AWAY_MS;
    const wait = answer ? answer.ms : this.#rate.take(this.#clock.now());
    return this.#sleepFor(wait);
  }

  async #sleepFor(wait: number): Promise<void> {
    if (wait > 0) await this.#clock.sleep(wait).catch(() => {});
  }

  async #check(job: Tracked): Promise<void> {
    try {
      const answer = await this.#client.send(DescribeImageAnimateJob, { JobId: job.id }, { parent: job.seen?.span });
      const now = this.#clock.now();
      job.failures = 0;
      if (answer.Status !== job.status) {
        job.status = answer.Status;
        job.seen?.status(answer.Status, answer.ErrorCode);
        this.#options.onProgress?.({ ...answer, JobId: job.id });
      }
      if (answer.Status === "DONE" || answer.Status === "FAIL") {
        this.#estimate.observe(now - job.startedAt);
        if (answer.Status === "DONE") job.resolve(answer);
        else job.reject(new JobFailedError(job.id, answer.ErrorCode, answer.ErrorMessage));
      } else if (now >= this.#giveUpAt(job)) {
        job.reject(new WaitTimeoutError(job.id, now - job.trackedAt, answer.Status));
      } else {
        if (!job.cancelled) this.#schedule(job, now);
      }
    } catch (error) {
      // Transient (what @vclm/retry, if used, gave up on, or throttling): later, within maxWait.
      const now = this.#clock.now();
      if (!mayRetry(classifyFailure(error), { idempotent: true })) job.reject(error);
      else if (now >= this.#giveUpAt(job)) job.reject(new WaitTimeoutError(job.id, now - job.trackedAt, job.status || "WAIT"));
      else if (!job.cancelled) {
        job.dueAt = Math.min(now + pauseAfter(++job.failures, this.#options, this.#clock), this.#giveUpAt(job));
        this.#heap.push(job);
      }
    } finally {
      this.#inFlight--;
      if (!this.#pumping && this.#heap.size) void this.#pump();
      else this.#wake?.abort(WAKE);
    }
  }
}
