import {
  type Clock,
  classifyFailure,
  DescribeImageAnimateJob,
  type InputOf,
  isVclmError,
  mayRetry,
  type OutputOf,
  SubmitImageAnimateJob,
  systemClock,
  type VclmClient,
  type VclmSpan,
} from "@vclm/core";
import { JobFailedError, WaitInterruptedError, WaitTimeoutError } from "./errors.js";
import { checkOptions } from "./options.js";
import { type DelayPolicy, nextDelay, pauseAfter } from "./schedule.js";

/**
 * A job's state, as DescribeImageAnimateJob answers it.
 *
 * @example
 * ```ts
 * const onProgress = (job: JobAnswer) => console.log(job.Status);
 * ```
 */
export type JobAnswer = OutputOf<typeof DescribeImageAnimateJob>;

/**
 * A job's state with its JobId: what every progress callback of this package receives, whether
 * from `waitForJob`, `submitAndWait` or a `JobTracker` (named, not linked: `vclm` re-exports this
 * type, and its docs do not hold those functions).
 *
 * @example
 * ```ts
 * const onProgress = (job: JobProgress) => console.log(job.JobId, job.Status);
 * ```
 */
export type JobProgress = JobAnswer & { readonly JobId: string };

/**
 * How to wait for a job.
 *
 * @example
 * ```ts
 * const options: WaitOptions = { maxWait: 20 * 60_000, onProgress: (job) => console.log(job.Status) };
 * ```
 */
export interface WaitOptions extends DelayPolicy {
  /** Stop waiting (rejects with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
  /**
   * How long this wait may last, in ms, counted from when it begins (not from `startedAt`): a job
   * resumed long after its Submit gets the whole wait. The last check comes at `maxWait`; then the
   * wait gives up with a {@link WaitTimeoutError}. @default 1_800_000 (30 minutes)
   */
  readonly maxWait?: number;
  /** Called with every answer whose status changed (WAIT, RUN, DONE or FAIL), with its JobId. */
  readonly onProgress?: ((job: JobProgress) => void) | undefined;
  /** With `observe` on the client: the span the wait's span (`vclm.wait`) is part of. @default the tracer's active span */
  readonly parent?: VclmSpan | undefined;
  /**
   * Called when a check failed and will be tried again (a network fault, a timeout, a 5xx,
   * throttling), with the error and how many checks in a row have failed: a wait that cannot reach
   * the service says so instead of waiting in silence. The job itself is not affected.
   */
  readonly onCheckFailed?: ((error: unknown, failures: number) => void) | undefined;
  /**
   * When the job was submitted, in ms, if earlier than now (a resumed wait). It says how far along
   * the job is, and so how often to check; it does not shorten `maxWait`. @default now
   */
  readonly startedAt?: number;
  /** Time, waits and jitter: a virtual clock runs a long wait at once. @default systemClock */
  readonly clock?: Clock | undefined;
}

/**
 * Every change of a job's status, as an async iterator: WAIT, RUN, then DONE or FAIL (the last).
 * Checks quickly at first, then less often as the job runs (10% of the time it has taken so far,
 * between `minDelay` and `maxDelay`). A transient failure of a check (network, timeout, 5xx,
 * throttling) is ridden out, with growing pauses, until `maxWait`: waiting is a loop already, with
 * or without `@vclm/retry`. Other errors, and the last transient one at `maxWait`, end the
 * iteration by throwing.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // from a SubmitImageAnimateJob answer
 * for await (const job of watchJob(client, JobId)) console.log(job.Status);
 * ```
 */
export async function* watchJob(client: VclmClient, JobId: string, options: WaitOptions = {}): AsyncGenerator<JobAnswer, void> {
  checkOptions("waiting options", options);
  const { signal, maxWait = 1_800_000, clock = systemClock } = options;
  const now = () => clock.now();
  const begunAt = now();
  const startedAt = options.startedAt ?? begunAt;
  // Delays are cut short at maxWait so the last check comes then: a job far along is checked only
  // every maxDelay, and a wait that gave up when the next check would be late could end at once.
  const untilGiveUp = () => begunAt + maxWait - now();
  let last: string | undefined;
  let failures = 0;
  // With `observe`: a span for the wait, its events the statuses, the checks its children.
  const seen = client.state.observer?.job(JobId, "vclm.wait", options.parent);
  let ended: unknown;
  try {
    for (;;) {
      let job: JobAnswer;
      try {
        job = await client.send(DescribeImageAnimateJob, { JobId }, { signal, parent: seen?.span });
        failures = 0;
      } catch (error) {
        if (signal?.aborted || !mayRetry(classifyFailure(error), { idempotent: true }) || untilGiveUp() <= 0) throw error;
        failures++; // not inside the call below: `?.` skips its arguments when there is no callback
        options.onCheckFailed?.(error, failures);
        await clock.sleep(Math.min(pauseAfter(failures, options, clock), untilGiveUp()), signal);
        continue;
      }
      if (job.Status !== last) {
        last = job.Status;
        seen?.status(last, job.ErrorCode);
        yield job;
      }
      if (job.Status === "DONE" || job.Status === "FAIL") return;
      if (untilGiveUp() <= 0) throw new WaitTimeoutError(JobId, now() - begunAt, job.Status);
      await clock.sleep(
        Math.min(
          nextDelay(now() - startedAt, options, () => clock.random()),
          untilGiveUp(),
        ),
        signal,
      );
    }
  } catch (error) {
    ended = error;
    throw error;
  } finally {
    seen?.end(ended);
  }
}

/**
 * Waits for a job to be DONE and resolves to that answer (with `ResultVideoUrl`). Rejects with a
 * {@link JobFailedError} on FAIL, a {@link WaitTimeoutError} past `maxWait`, or the signal's reason
 * on abort. Needs only the JobId, so a wait can be resumed later, in another process.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // from a SubmitImageAnimateJob answer
 * const { ResultVideoUrl } = await waitForJob(client, JobId, { onProgress: (job) => console.log(job.Status) });
 * ```
 */
export async function waitForJob(client: VclmClient, JobId: string, options: WaitOptions = {}): Promise<JobAnswer> {
  for await (const job of watchJob(client, JobId, options)) {
    options.onProgress?.({ ...job, JobId });
    if (job.Status === "DONE") return job;
    if (job.Status === "FAIL") throw new JobFailedError(JobId, job.ErrorCode, job.ErrorMessage);
  }
  throw new Error("unreachable: watchJob ends with DONE or FAIL");
}

/**
 * What to animate: the Submit input, the photo given as `ImageUrl`, `ImageBase64`, or as bytes, an
 * ArrayBuffer or a Blob (`photo`), the fastest and leanest.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const request: AnimateRequest = { TemplateId: "ke3", photo: await readFile("dancer.jpg") };
 * ```
 */
export type AnimateRequest = InputOf<typeof SubmitImageAnimateJob>;

/**
 * How to submit a job and wait for it.
 *
 * @example
 * ```ts
 * const options: SubmitAndWaitOptions = { onSubmitted: (JobId) => localStorage.setItem("vclm-job", JobId) }; // to resume after a reload
 * ```
 */
export interface SubmitAndWaitOptions extends WaitOptions {
  /**
   * Called with the JobId as soon as the job exists, before any waiting: keep it (a database, a
   * log), so a paid job can be picked up with {@link waitForJob} whatever happens to this wait.
   */
  readonly onSubmitted?: ((JobId: string) => void) | undefined;
}

/**
 * Submits a job and waits for it: the common case, in one call. A `photo` is checked as the service
 * would and written as base64 straight into the request body. Resolves to the DONE answer with its JobId. Once the job exists, every
 * rejection carries its JobId: {@link JobFailedError} and {@link WaitTimeoutError} as they are, and
 * anything else (an abort, a failed check) as a {@link WaitInterruptedError} whose `cause` is the
 * original error. The job is paid for either way: resume with `waitForJob(client, error.jobId)`.
 *
 * @example
 * ```ts
 * declare const file: File; // what an <input type="file"> gave
 * const client = new VclmClient({ region: "ap-singapore" });
 * const { ResultVideoUrl } = await submitAndWait(client, { TemplateId: "ke3", photo: file }, { onProgress: (job) => console.log(job.Status) });
 * ```
 */
export async function submitAndWait(client: VclmClient, request: AnimateRequest, options: SubmitAndWaitOptions = {}): Promise<JobProgress> {
  checkOptions("waiting options", options);
  const startedAt = (options.clock ?? systemClock).now();
  // A `photo` goes as it is: core writes its base64 straight into the request body.
  const { JobId } = await client.send(SubmitImageAnimateJob, request, { signal: options.signal, parent: options.parent });
  try {
    options.onSubmitted?.(JobId);
    return { ...(await waitForJob(client, JobId, { ...options, startedAt })), JobId };
  } catch (error) {
    if (isVclmError(error, JobFailedError) || isVclmError(error, WaitTimeoutError)) throw error;
    throw new WaitInterruptedError(JobId, error);
  }
}
