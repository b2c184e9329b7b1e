import * as v from "valibot";
import type { ValidationIssue } from "../errors/validation-error.js";
import { VclmValidationError } from "../errors/validation-error.js";
import type { Middleware } from "../pipeline/stack.js";
import { closest } from "../util/suggest.js";

/** Checks the input against the operation's schema; a bad input throws before anything is sent. */
export const validateInput: Middleware = async (context, next) => {
  const result = v.safeParse(context.operation.input, context.input);
  if (!result.success) throw new VclmValidationError(context.operation.action, issuesOf(result.issues, context.operation.input));
  context.input = result.output;
  await next();
};

type Schema = v.GenericSchema & { entries?: Record<string, Schema>; wrapped?: Schema; pipe?: readonly [Schema, ...unknown[]] };

/**
 * valibot issues as path + message, the path dotted from the input's root. An unknown key of a
 * strict object says so in words, with the known key it is closest to when `schema` is given:
 * `unknown field TemplateID (did you mean TemplateId?)` rather than valibot's `Expected never`.
 */
export function issuesOf(issues: readonly v.BaseIssue<unknown>[], schema?: v.GenericSchema, noun = "field"): ValidationIssue[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "";
    if (issue.type !== "strict_object" || issue.expected !== "never") return { path, message: issue.message };
    const keys = (issue.path ?? []).map((item) => String(item.key));
    const known = keysAt(schema as Schema | undefined, keys.slice(0, -1));
    const suggestion = known && closest(keys.at(-1) ?? "", known);
    return { path, message: `unknown ${noun} ${path}${suggestion ? ` (did you mean ${suggestion}?)` : ""}` };
  });
}

// The keys an object schema knows at a path, through optional wrappers and pipes.
function keysAt(schema: Schema | undefined, path: readonly string[]): string[] | undefined {
  const unwrap = (at: Schema | undefined): Schema | undefined => (at?.wrapped ? unwrap(at.wrapped) : at?.pipe ? at.pipe[0] : at);
  let at = unwrap(schema);
  for (const key of path) at = unwrap(at?.entries?.[key]);
  return at?.entries && Object.keys(at.entries);
}
