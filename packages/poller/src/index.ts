/**
 * Waiting for VCLM jobs, one or thousands: quick first checks, then less often as a job runs; a
 * learnt sense of how long jobs take; one request rate for many jobs; resumable from a JobId alone.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { VclmClient } from "@vclm/core";
 * import { submitAndWait } from "@vclm/poller";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photo = await readFile("dancer.jpg");
 *
 * const { ResultVideoUrl } = await submitAndWait(client, { TemplateId: "ke3", photo }, { onProgress: (job) => console.log(job.Status) });
 * ```
 *
 * @packageDocumentation
 */
export { JobFailedError, WaitInterruptedError, WaitTimeoutError } from "./errors.js";
export { type DelayPolicy, DurationEstimate, nextDelay } from "./schedule.js";
export { JobTracker, type TrackerOptions } from "./tracker.js";
export {
  type AnimateRequest,
  type JobAnswer,
  type JobProgress,
  type SubmitAndWaitOptions,
  submitAndWait,
  type WaitOptions,
  waitForJob,
  watchJob,
} from "./wait.js";
