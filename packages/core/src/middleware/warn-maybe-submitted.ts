import { mayHaveArrived } from "../errors/may-have-arrived.js";
import type { Middleware } from "../pipeline/stack.js";

const WARNING =
  " The request may have reached the service, so the job may exist and be paid for, though this call failed." +
  " Do not submit the same photo again at once: the API has no idempotency token and no job listing." +
  " Check the account's jobs in the Tencent Cloud console first.";

/**
 * SubmitImageAnimateJob's transport step: an error after which a job may exist (a connection that
 * broke after sending, no answer in time, a gateway's 5xx) says so in its message, and what to do,
 * so nobody reading "could not reach" pays twice by resending. Carried by the operation.
 */
export const warnMaybeSubmitted: Middleware = async (_context, next) => {
  try {
    await next();
  } catch (error) {
    if (mayHaveArrived(error) && !(error as Error).message.endsWith(WARNING))
      // What happened stays first (the connection broke, no answer came), as a sentence of its own.
      (error as Error).message = (error as Error).message.replace(/[.]?$/, ".") + WARNING;
    throw error;
  }
};
