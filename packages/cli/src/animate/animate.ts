import { isVclmError, type TemplateId, VclmValidationError } from "@vclm/core";
import { JobFailedError, submitAndWait, WaitInterruptedError, WaitTimeoutError, waitForJob } from "@vclm/poller";
import { checkOptions } from "./check-options.js";
import { clientFor } from "./connect.js";
import { linkExpiry } from "./link-expiry.js";
import type { AnimateOptions } from "./options.js";
import { type Photo, photoFields } from "./photo-input.js";
import { type Video, videoAt } from "./video.js";

/**
 * Animates a photo of a person with a dance template: checks the photo as the service would,
 * submits it, waits for the video, and resolves to it (its JobId, link, expiry, and `download()`).
 * Retries transient faults on the way (never a second paid Submit). Any runtime: Node, Deno, Bun,
 * Workers, browsers (through a relay). Set `VCLM_ENDPOINT` to send to an emulator without changing code.
 *
 * Rejects with a typed error before anything is sent for a bad photo (`VclmPhotoError`) or option
 * (`VclmValidationError`). Once the job exists every rejection carries its `jobId`: the job is paid
 * for and may still finish (`JobFailedError`, `WaitTimeoutError`, or `WaitInterruptedError`
 * around the cause).
 *
 * @example
 * ```ts run
 * import { readFile, writeFile } from "node:fs/promises";
 * import { animate } from "vclm";
 *
 * const video = await animate(await readFile("dancer.jpg"), {
 *   template: "ke3",
 *   onProgress: (job) => console.log(job.Status), // WAIT, RUN, DONE
 * });
 * await writeFile("dancer-ke3.mp4", await video.download());
 * console.log(`job ${video.jobId}: link valid until ${video.expiresAt.toISOString()}`);
 * ```
 */
export async function animate(photo: Photo, options?: AnimateOptions): Promise<Video> {
  return animateWith(photoFields(photo), checkOptions(options));
}

/** `animate` once the photo is read: the entries share it. */
export async function animateWith(fields: ReturnType<typeof photoFields>, options: AnimateOptions): Promise<Video> {
  const template = options.template ?? "ke3";
  const client = clientFor(options);
  const done = await submitAndWait(
    client,
    { TemplateId: template, ...fields },
    {
      signal: options.signal,
      onProgress: options.onProgress,
      onSubmitted: options.onSubmitted,
      onCheckFailed: options.onCheckFailed,
      ...(options.maxWait !== undefined && { maxWait: options.maxWait }),
    },
  );
  return videoOf(done.JobId, template, done.ResultVideoUrl, options.fetch);
}

/** The video of a job seen DONE just now. */
const videoOf = (jobId: string, template: TemplateId | undefined, url: string, fetcher: typeof fetch | undefined): Video =>
  videoAt({ jobId, template, url, expiresAt: linkExpiry(url, Date.now()) }, fetcher);

/**
 * Waits for a job that already exists, by its JobId, and resolves to its video: how to pick up a
 * job after `animate` stopped (a deploy, a crash, a timeout), with the same options. The job is
 * not submitted again. Rejects as `animate` does after its Submit (`JobFailedError`,
 * `WaitTimeoutError`, `WaitInterruptedError`, each with the `jobId`).
 *
 * @example
 * ```ts run
 * import { readFile } from "node:fs/promises";
 * import { animate, resume } from "vclm";
 *
 * // A wait that stops once the job exists (a deploy, a crash): only the JobId is kept.
 * let jobId = "";
 * const stop = new AbortController();
 * const onSubmitted = (id: string) => {
 *   jobId = id;
 *   stop.abort();
 * };
 * await animate(await readFile("dancer.jpg"), { onSubmitted, signal: stop.signal }).catch(() => {});
 * const video = await resume(jobId, { template: "ke3" }); // later, anywhere
 * console.log(video.url);
 * ```
 */
export async function resume(jobId: string, options?: AnimateOptions): Promise<Video> {
  const checked = checkOptions(options);
  if (typeof jobId !== "string" || !/^\d+$/.test(jobId))
    throw new VclmValidationError("resume", [
      { path: "jobId", message: `must be a JobId, a string of digits such as "1194931538865782784", not ${JSON.stringify(jobId)}` },
    ]);
  const done = await waitForJob(clientFor(checked), jobId, {
    signal: checked.signal,
    onProgress: checked.onProgress,
    onCheckFailed: checked.onCheckFailed,
    ...(checked.maxWait !== undefined && { maxWait: checked.maxWait }),
  }).catch((error) => {
    throw isVclmError(error, JobFailedError) || isVclmError(error, WaitTimeoutError) ? error : new WaitInterruptedError(jobId, error);
  });
  return videoOf(jobId, checked.template, done.ResultVideoUrl, checked.fetch);
}
