import * as v from "valibot";
import { VclmValidationError } from "../errors/validation-error.js";
import type { Middleware } from "../pipeline/stack.js";

/** Checks the input against the operation's schema; a bad input throws before anything is sent. */
export const validateInput: Middleware = async (context, next) => {
  const result = v.safeParse(context.operation.input, context.input);
  if (!result.success) throw new VclmValidationError(context.operation.action, issuesOf(result.issues));
  context.input = result.output;
  await next();
};

/** valibot issues as path + message, the path dotted from the input's root. */
export const issuesOf = (issues: readonly v.BaseIssue<unknown>[]): { path: string; message: string }[] =>
  issues.map((issue) => ({ path: v.getDotPath(issue) ?? "", message: issue.message }));
