import { DescribeImageAnimateJob } from "./describe-image-animate-job.js";
import { SubmitImageAnimateJob } from "./submit-image-animate-job.js";

/**
 * Every VCLM operation, the one list: what the relay forwards by default (each one that is not
 * `idempotent` is paid: quota and replay refusal) and what `VCLM_API.actions` names (a test checks
 * the two agree). A new action is its operation file and a line here.
 *
 * @example
 * ```ts
 * const paid = OPERATIONS.filter((operation) => !operation.idempotent).map((operation) => operation.action); // ["SubmitImageAnimateJob"]
 * ```
 */
export const OPERATIONS = [SubmitImageAnimateJob, DescribeImageAnimateJob] as const;
