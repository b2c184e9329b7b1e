// The same symbol in every copy of @vclm/core, so errors are recognised across copies.
const BRAND = Symbol.for("@vclm/core.VclmError");

/**
 * The base of every error @vclm/core throws, so one `instanceof` catches them all. Aborts are the
 * exception: they surface as the runtime's own `AbortError` (the signal's reason), as `fetch` does.
 * Where two copies of `@vclm/core` may be installed (a library's and an app's), {@link isVclmError}
 * recognises errors from either.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
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
    // The names of its classes, for isVclmError: the same in every copy of @vclm/core.
    const names: string[] = [];
    for (let kind: { name: string } = new.target; kind !== Error; kind = Object.getPrototypeOf(kind)) names.push(kind.name);
    Object.defineProperty(this, BRAND, { value: names });
    this.action = options.action;
  }
}

/**
 * Is this an error of `kind` (a subclass included) from `@vclm/core` or a package built on it, even
 * from another installed copy of `@vclm/core`, where `instanceof` says no? Errors carry a brand
 * with their class names, which every copy reads alike. Narrows the error's type.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * try {
 *   await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" });
 * } catch (error) {
 *   if (isVclmError(error, VclmNetworkError)) console.error("not reached:", error.url);
 *   else throw error;
 * }
 * ```
 */
export function isVclmError<Kind extends abstract new (...args: never[]) => VclmError>(
  error: unknown,
  kind: Kind = VclmError as unknown as Kind,
): error is InstanceType<Kind> {
  return (error as { [BRAND]?: string[] } | null)?.[BRAND]?.includes(kind.name) === true;
}
