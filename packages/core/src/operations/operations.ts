import { DescribeImageAnimateJob } from "./describe-image-animate-job.js";
import { SubmitImageAnimateJob } from "./submit-image-animate-job.js";

export { DescribeImageAnimateJob, DescribeImageAnimateJobInput, DescribeImageAnimateJobOutput } from "./describe-image-animate-job.js";
export {
  SubmitImageAnimateJob,
  SubmitImageAnimateJobFields,
  SubmitImageAnimateJobInput,
  SubmitImageAnimateJobOutput,
} from "./submit-image-animate-job.js";

/**
 * Every VCLM operation, the one list: what the relay forwards by default (each one that is not
 * `idempotent` is paid: quota and replay refusal) and what `VCLM_API.actions` names. A new action
 * is its operation file, its lines here (the export and the list), and the emulator's answer to it.
 *
 * @example
 * ```ts
 * const paid = OPERATIONS.filter((operation) => !operation.idempotent).map((operation) => operation.action); // ["SubmitImageAnimateJob"]
 * ```
 */
export const OPERATIONS: readonly [typeof SubmitImageAnimateJob, typeof DescribeImageAnimateJob] = [
  SubmitImageAnimateJob,
  DescribeImageAnimateJob,
];
