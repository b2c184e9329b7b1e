import { type ValidationIssue, VclmValidationError } from "@vclm/core";

type Rule = [name: string, ok: (value: number) => boolean, expects: string];

const positive: Rule[1] = (value) => Number.isFinite(value) && value > 0;
const RULES: readonly Rule[] = [
  ["minDelay", positive, "a positive number of milliseconds"],
  ["maxDelay", positive, "a positive number of milliseconds"],
  ["maxWait", (value) => value >= 0 && !Number.isNaN(value), "0 or more milliseconds (Infinity for no limit)"],
  ["expectedDuration", (value) => Number.isFinite(value) && value >= 0, "0 or more milliseconds"],
  ["requestsPerSecond", positive, "a positive, finite number (the service allows about 20)"],
  ["concurrency", (value) => Number.isInteger(value) && value >= 1, "a whole number, 1 or more"],
];

/**
 * Checks the numeric options of a wait or a tracker before anything runs: a rate of 0, NaN or
 * Infinity would spin the process without ever yielding to timers or I/O.
 */
export function checkOptions(what: string, options: object): void {
  const issues: ValidationIssue[] = [];
  for (const [name, ok, expects] of RULES) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !ok(value)) issues.push({ path: name, message: `${name} must be ${expects}, not ${String(value)}` });
  }
  const { minDelay = 1_000, maxDelay = 30_000 } = options as { minDelay?: number; maxDelay?: number };
  if (!issues.length && minDelay > maxDelay)
    issues.push({ path: "maxDelay", message: `maxDelay (${maxDelay}) must not be below minDelay (${minDelay})` });
  if (issues.length) throw new VclmValidationError(what, issues);
}
