import { VclmError } from "./vclm-error.js";

/** One thing wrong with a value: where (`LogoParam.LogoRect.Width`) and which rule it broke. */
export interface ValidationIssue {
  /** The dotted path of the field, or `""` for the value as a whole. */
  readonly path: string;
  /** What the rule expects, in words. */
  readonly message: string;
}

/**
 * An action's input broke its schema. Thrown before anything is sent: no request, no job, no cost.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(SubmitImageAnimateJob, { TemplateId: "kemusan" as "ke3", ImageUrl: "https://example.com/dancer.jpg" });
 * } catch (error) {
 *   if (error instanceof VclmValidationError) console.error(error.issues); // [{ path: "TemplateId", ... }]
 * }
 * ```
 */
export class VclmValidationError extends VclmError {
  /** Every issue found, not just the first. */
  readonly issues: readonly ValidationIssue[];

  constructor(action: string, issues: readonly ValidationIssue[]) {
    const list = issues.map(({ path, message }) => (path && !message.includes(path) ? `${path}: ${message}` : message)).join("; ");
    super(`${action} input is invalid, nothing was sent: ${list}`, { action });
    this.issues = issues;
  }
}
