import * as v from "valibot";
import { VclmResponseError } from "../errors/response-error.js";
import type { Middleware } from "../pipeline/stack.js";
import { issuesOf } from "./validate-input.js";

/** Checks the answer against the operation's output schema: a malformed answer is an error now, not a crash later. */
export const validateOutput: Middleware = async (context, next) => {
  const result = v.safeParse(context.operation.output, context.output);
  if (!result.success) {
    const { status = 0, body = "" } = context.response ?? {};
    const requestId = (context.output as { RequestId?: unknown }).RequestId;
    const problems = issuesOf(result.issues).map(({ path, message }) => `${path || "Response"}: ${message}`);
    throw new VclmResponseError(`the answer does not match the ${context.operation.action} schema (${problems.join("; ")})`, {
      action: context.operation.action,
      status,
      requestId: typeof requestId === "string" ? requestId : undefined,
      body,
    });
  }
  context.output = result.output;
  await next();
};
