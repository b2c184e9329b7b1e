import { isServiceError, VclmError } from "@vclm/core";

/**
 * The job ended in FAIL: the service's ErrorCode and ErrorMessage say why.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // from a SubmitImageAnimateJob answer
 * try {
 *   await waitForJob(client, JobId);
 * } catch (error) {
 *   if (error instanceof JobFailedError) console.error(error.code, error.serviceMessage);
 * }
 * ```
 */
export class JobFailedError extends VclmError {
  readonly jobId: string;
  /** The job's ErrorCode, e.g. `FailedOperation.ImageDetectFaceFailed`. */
  readonly code: string;
  /** The job's ErrorMessage. */
  readonly serviceMessage: string;

  constructor(jobId: string, code: string, message: string) {
    super(`job ${jobId} failed: ${code}: ${message}`, { action: "DescribeImageAnimateJob" });
    this.jobId = jobId;
    this.code = code;
    this.serviceMessage = message;
  }
}

/**
 * The job was not done within `maxWait` of the wait's start. It may still finish: wait again with its JobId.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const JobId = "7532277463506747392"; // from a SubmitImageAnimateJob answer
 * await waitForJob(client, JobId, { maxWait: 60_000 }).catch((error: unknown) => {
 *   if (error instanceof WaitTimeoutError) console.log(`still ${error.lastStatus}; try later`);
 * });
 * ```
 */
export class WaitTimeoutError extends VclmError {
  readonly jobId: string;
  /** The status seen last: WAIT or RUN. */
  readonly lastStatus: string;

  /**
   * @param waited How long this wait lasted, in ms: from the `waitForJob`, `watchJob` or `track()`
   *   call that gave up, not from the job's Submit (`startedAt`). The message says it in seconds.
   */
  constructor(jobId: string, waited: number, lastStatus: string) {
    super(`job ${jobId} is still ${lastStatus} after ${Math.round(waited / 1000)} s of waiting; wait again with its JobId to pick it up`, {
      action: "DescribeImageAnimateJob",
    });
    this.jobId = jobId;
    this.lastStatus = lastStatus;
  }
}

/**
 * Waiting for a job that exists (and is paid for) stopped for another reason than the job's end:
 * an abort, or a check that failed for good. `cause` is that reason. The job may still finish:
 * wait for it again with its JobId.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photo = await readFile("dancer.jpg");
 * const signal = AbortSignal.timeout(10 * 60_000); // or Ctrl-C's
 * await submitAndWait(client, { TemplateId: "ke3", photo }, { signal }).catch((error: unknown) => {
 *   if (error instanceof WaitInterruptedError) console.error(`job ${error.jobId} was submitted; resume with waitForJob`);
 * });
 * ```
 */
export class WaitInterruptedError extends VclmError {
  readonly jobId: string;

  constructor(jobId: string, cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, "");
    // A job the service does not know is not one that may still finish: say what it answered.
    super(
      isServiceError(cause, "FailedOperation.JobNotFound")
        ? `job ${jobId} was submitted, but the service now says it does not exist in this account and region; waiting for it stopped: ${reason}.`
        : `job ${jobId} was submitted and may still finish (it is paid for); waiting for it stopped: ${reason}. Wait again with its JobId (waitForJob, vclm's resume(), or vclm wait ${jobId}).`,
      { action: "DescribeImageAnimateJob", cause },
    );
    this.jobId = jobId;
  }
}
