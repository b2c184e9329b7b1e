/**
 * The base of every error @vclm/core throws, so one `instanceof` catches them all. Aborts are the
 * exception: they surface as the runtime's own `AbortError` (the signal's reason), as `fetch` does.
 *
 * @example
 * ```ts
 * try {
 *   await client.describeImageAnimateJob({ JobId });
 * } catch (error) {
 *   if (error instanceof VclmError) console.error(error.name, error.message);
 * }
 * ```
 */
export class VclmError extends Error {
  /** The API action being called when the error happened, e.g. `DescribeImageAnimateJob`. */
  readonly action: string | undefined;
  /** How many attempts were made before this error was final (set by `@vclm/retry`; 1 without it). */
  attempts = 1;

  constructor(message: string, options: { action?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.action = options.action;
  }
}
