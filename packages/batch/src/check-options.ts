import { VclmValidationError } from "@vclm/core";
import type { AnimateManyOptions, BatchPhoto } from "./types.js";

/** Refuses options that cannot work, naming each, before anything is read or sent. */
export function checkOptions(options: AnimateManyOptions, photos: readonly BatchPhoto[]): void {
  const issues: { path: string; message: string }[] = [];
  const whole = (name: "concurrentJobs" | "saveConcurrency") => {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      issues.push({ path: name, message: `${name} must be a whole number, 1 or more, not ${String(value)}` });
  };
  whole("concurrentJobs");
  whole("saveConcurrency");
  if (typeof options.journal?.append !== "function")
    issues.push({ path: "journal", message: "journal is needed: where the batch records each step" });
  if (typeof options.save !== "function") issues.push({ path: "save", message: "save is needed: where finished videos go" });
  photos.forEach(({ name }, at) => {
    if (typeof name !== "string" || !name) issues.push({ path: `photos.${at}.name`, message: `photo ${at} needs a name` });
  });
  const names = new Set(photos.map(({ name }) => name));
  for (const [name, JobId] of Object.entries(options.adopt ?? {})) {
    if (!names.has(name)) issues.push({ path: `adopt.${name}`, message: `adopt names ${name}, which is not a photo of this batch` });
    if (!/^\d+$/.test(JobId)) issues.push({ path: `adopt.${name}`, message: `adopt.${name} must be a JobId (digits), not "${JobId}"` });
  }
  if (issues.length) throw new VclmValidationError("animateMany", issues);
}
