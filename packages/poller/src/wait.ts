import {
  DescribeImageAnimateJob,
  type InputOf,
  type OutputOf,
  type PhotoSource,
  photoToBase64,
  SubmitImageAnimateJob,
  sleep,
  type VclmClient,
} from "@vclm/core";
import { JobFailedError, WaitTimeoutError } from "./errors.js";
import { type DelayPolicy, nextDelay } from "./schedule.js";

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
  /** Give up with a {@link WaitTimeoutError} after this many ms. @default 1_800_000 (30 minutes) */
  readonly maxWait?: number;
  /** Called with every answer whose status changed (WAIT, RUN, DONE or FAIL). */
  readonly onProgress?: ((job: JobAnswer) => void) | undefined;
  /** When the job started, in ms, if earlier than now (a resumed wait). @default now */
  readonly startedAt?: number;
  /** The clock, in ms. @default Date.now */
  readonly now?: () => number;
  /** How to wait. @default setTimeout, ending at once on abort */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Jitter's random source. @default Math.random */
  readonly random?: () => number;
}

/**
 * Every change of a job's status, as an async iterator: WAIT, RUN, then DONE or FAIL (the last).
 * Checks quickly at first, then less often as the job runs (10% of the time it has taken so far,
 * between `minDelay` and `maxDelay`). Transient errors are `@vclm/retry`'s to handle; other errors
 * end the iteration by throwing.
 *
 * @example
 * ```ts
 * for await (const job of watchJob(client, JobId)) console.log(job.Status);
 * ```
 */
export async function* watchJob(client: VclmClient, JobId: string, options: WaitOptions = {}): AsyncGenerator<JobAnswer, void> {
  const { signal, maxWait = 1_800_000, now = Date.now, sleep: wait = sleep, random = Math.random } = options;
  const startedAt = options.startedAt ?? now();
  let last: string | undefined;
  for (;;) {
    const job = await client.send(DescribeImageAnimateJob, { JobId }, { signal });
    if (job.Status !== last) {
      last = job.Status;
      yield job;
    }
    if (job.Status === "DONE" || job.Status === "FAIL") return;
    const elapsed = now() - startedAt;
    const delay = nextDelay(elapsed, options, random);
    if (elapsed + delay > maxWait) throw new WaitTimeoutError(JobId, elapsed, job.Status);
    await wait(delay, signal);
  }
}

/**
 * Waits for a job to be DONE and resolves to that answer (with `ResultVideoUrl`). Rejects with a
 * {@link JobFailedError} on FAIL, a {@link WaitTimeoutError} past `maxWait`, or the signal's reason
 * on abort. Needs only the JobId, so a wait can be resumed later, in another process.
 *
 * @example
 * ```ts
 * const { ResultVideoUrl } = await waitForJob(client, JobId, { onProgress: (job) => console.log(job.Status) });
 * ```
 */
export async function waitForJob(client: VclmClient, JobId: string, options: WaitOptions = {}): Promise<JobAnswer> {
  for await (const job of watchJob(client, JobId, options)) {
    options.onProgress?.(job);
    if (job.Status === "DONE") return job;
    if (job.Status === "FAIL") throw new JobFailedError(JobId, job.ErrorCode, job.ErrorMessage);
  }
  throw new Error("unreachable: watchJob ends with DONE or FAIL");
}

/**
 * What to animate: the Submit input, with the photo given as bytes, an ArrayBuffer or a Blob
 * (`photo`) instead of `ImageBase64` if you like.
 *
 * @example
 * ```ts
 * const request: AnimateRequest = { TemplateId: "ke3", photo: await readFile("dancer.jpg") };
 * ```
 */
export type AnimateRequest =
  | InputOf<typeof SubmitImageAnimateJob>
  | (Omit<InputOf<typeof SubmitImageAnimateJob>, "ImageUrl" | "ImageBase64"> & { readonly photo: PhotoSource });

/**
 * Submits a job and waits for it: the common case, in one call. A `photo` is checked as the service
 * would and sent as base64. Resolves to the DONE answer with its JobId.
 *
 * @example
 * ```ts
 * const { ResultVideoUrl } = await submitAndWait(client, { TemplateId: "ke3", photo: file }, { onProgress: (job) => show(job.Status) });
 * ```
 */
export async function submitAndWait(
  client: VclmClient,
  request: AnimateRequest,
  options: WaitOptions = {},
): Promise<JobAnswer & { JobId: string }> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const input = "photo" in request ? (({ photo, ...rest }) => rest)(request) : request;
  const submit = "photo" in request ? { ...input, ImageBase64: await photoToBase64(request.photo) } : request;
  const { JobId } = await client.send(SubmitImageAnimateJob, submit as InputOf<typeof SubmitImageAnimateJob>, { signal: options.signal });
  return { ...(await waitForJob(client, JobId, { ...options, startedAt })), JobId };
}
