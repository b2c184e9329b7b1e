import * as v from "valibot";
import { VCLM_SERVICE, VCLM_VERSION } from "../api.js";
import { defineOperation, type Operation } from "../operation.js";

/**
 * The schema of a DescribeImageAnimateJob call's input (valibot): the types are inferred from it, and a form can validate
 * with it too.
 *
 * @example
 * ```ts
 * const formValues: unknown = { JobId: "7532277463506747392" }; // what a form sent
 * const ok = v.safeParse(DescribeImageAnimateJobInput, formValues).success;
 * ```
 */
export const DescribeImageAnimateJobInput = v.strictObject({
  /** The JobId that SubmitImageAnimateJob returned: a 64-bit number as a string. */
  JobId: v.pipe(
    v.string("JobId must be a string (JobIds are 64-bit numbers: never turn them into JS numbers)"),
    v.nonEmpty("JobId is empty"),
  ),
});

/**
 * The schema of a DescribeImageAnimateJob answer's `Response` (valibot).
 *
 * @example
 * ```ts
 * type Answer = v.InferOutput<typeof DescribeImageAnimateJobOutput>;
 * ```
 */
export const DescribeImageAnimateJobOutput = v.object({
  /** WAIT: queued; RUN: running; FAIL: failed (see ErrorCode); DONE: ResultVideoUrl is ready. */
  Status: v.picklist(["WAIT", "RUN", "FAIL", "DONE"]),
  /** Why the job failed, when Status is FAIL; otherwise empty. */
  ErrorCode: v.string(),
  /** The service's words for ErrorCode; otherwise empty. */
  ErrorMessage: v.string(),
  /** The video, when Status is DONE: valid for 24 hours. Otherwise empty. */
  ResultVideoUrl: v.string(),
  /** The mask video, with EnableSegment. May be absent. */
  MaskVideoUrl: v.optional(v.string()),
  /** The service's id for this request: quote it when asking Tencent Cloud about it. */
  RequestId: v.string(),
});

/**
 * DescribeImageAnimateJob: where a job is (WAIT, RUN, FAIL, DONE) and, when done, its video.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const { Status, ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * ```
 */
export const DescribeImageAnimateJob: Operation<typeof DescribeImageAnimateJobInput, typeof DescribeImageAnimateJobOutput> =
  defineOperation({
    action: "DescribeImageAnimateJob",
    version: VCLM_VERSION,
    service: VCLM_SERVICE,
    input: DescribeImageAnimateJobInput,
    output: DescribeImageAnimateJobOutput,
    idempotent: true,
  });
