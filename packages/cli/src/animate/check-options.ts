import { TEMPLATE_IDS, VclmValidationError } from "@vclm/core";
import { issuesOf } from "@vclm/core/internal";
import * as v from "valibot";
import type { AnimateOptions } from "./options.js";

const fn = (name: string) => v.optional(v.custom((value) => typeof value === "function", `${name} must be a function`));
const object = (name: string, what: string) => v.optional(v.custom((value) => value instanceof Object, `${name} must be ${what}`));

const schema = v.strictObject({
  template: v.optional(v.picklist(TEMPLATE_IDS, `template must be one of ${TEMPLATE_IDS.join(", ")}`)),
  onProgress: fn("onProgress"),
  onSubmitted: fn("onSubmitted"),
  onCheckFailed: fn("onCheckFailed"),
  signal: v.optional(
    v.custom((value) => typeof AbortSignal === "function" && value instanceof AbortSignal, "signal must be an AbortSignal"),
  ),
  maxWait: v.optional(v.pipe(v.number("maxWait must be a number of ms"), v.minValue(0, "maxWait must be 0 or more ms"))),
  region: v.optional(v.string("region must be a string such as ap-singapore")),
  endpoint: v.optional(v.union([v.string(), v.instance(URL)], "endpoint must be a URL")),
  credentials: object("credentials", "{ secretId, secretKey } or a function that gives them"),
  env: object("env", "an object of variables, such as a Worker's env"),
  retry: v.optional(v.union([v.literal(false), v.looseObject({})], "retry must be retry options or false")),
  fetch: fn("fetch"),
  client: object("client", "a VclmClient"),
});

/** The options, checked: a typed error naming each mistake (a misspelt option with its right name) before anything is sent. */
export function checkOptions(options: unknown): AnimateOptions {
  const checked = v.safeParse(schema, options ?? {});
  if (!checked.success)
    throw new VclmValidationError(
      "animate",
      issuesOf(checked.issues, schema, "option").map((issue) =>
        // A whole-call time limit is a signal (or maxWait for the waiting): say so, not just "unknown".
        issue.path === "timeout"
          ? { ...issue, message: `${issue.message}: use signal: AbortSignal.timeout(ms), or maxWait for the wait` }
          : issue,
      ),
    );
  return options ?? {};
}
