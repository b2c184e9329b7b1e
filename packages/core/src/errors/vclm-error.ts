// The same symbol in every copy of @vclm/core, so errors are recognised across copies.
const BRAND = Symbol.for("@vclm/core.VclmError");

/**
 * The base of every error @vclm/core throws, so one `instanceof` catches them all. Aborts are the
 * exception: they surface as the runtime's own `AbortError` (the signal's reason), as `fetch` does.
 *
 * @example
 * ```ts
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId });
 * } catch (error) {
 *   if (error instanceof VclmError) console.error(error.name, error.message);
 * }
 * ```
 */
export class VclmError extends Error {
  /**
   * `instanceof` that also recognises errors from another copy of `@vclm/core` (two versions
   * installed side by side): a branded error is an instance of the class of the same name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about, a subclass included.
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null || !(BRAND in value)) return false;
    for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto))
      // biome-ignore lint/complexity/noThisInStatic: as above.
      if (Object.hasOwn(proto, "constructor") && proto.constructor.name === this.name) return true;
    return false;
  }

  /** The API action being called when the error happened, e.g. `DescribeImageAnimateJob`. */
  readonly action: string | undefined;
  /** How many attempts were made before this error was final (set by `@vclm/retry`; 1 without it). */
  attempts = 1;

  constructor(message: string, options: { action?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
    this.action = options.action;
  }
}
