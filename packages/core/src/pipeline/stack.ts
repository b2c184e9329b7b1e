import type { Operation } from "../operation.js";
import type { Context } from "./context.js";

/**
 * The phases a call passes through, in order. Each middleware belongs to one; anything in `retry`
 * wraps signing and sending, so every attempt is signed afresh.
 */
export const PHASES = ["initialize", "validate", "serialize", "retry", "sign", "transport", "deserialize"] as const;

/**
 * One of {@link PHASES}.
 *
 * @example
 * ```ts
 * const phase: Phase = "sign";
 * ```
 */
export type Phase = (typeof PHASES)[number];

/**
 * A step of the pipeline: does its part, calls `next()` to run the rest (it may call it again, as
 * a retry does), and can act on the result after it returns.
 *
 * @example
 * ```ts
 * const timing: Middleware = async (context, next) => {
 *   const start = performance.now();
 *   try {
 *     await next();
 *   } finally {
 *     console.log(context.operation.action, performance.now() - start, "ms");
 *   }
 * };
 * ```
 */
export type Middleware = (context: Context, next: () => Promise<void>) => Promise<void>;

/**
 * Where a middleware goes: its unique name, its phase, and optionally just before or after
 * another middleware of the same phase (otherwise, after those already in the phase).
 *
 * @example
 * ```ts
 * client.middleware.add(logger, { name: "logger", phase: "sign", after: "signRequest" });
 * ```
 */
export interface Placement {
  readonly name: string;
  readonly phase: Phase;
  readonly before?: string | undefined;
  readonly after?: string | undefined;
}

interface Entry extends Placement {
  readonly middleware: Middleware;
}

/**
 * The ordered middleware of a client. Order is data: by phase, then by placement within the
 * phase, and `list()` returns it (print it with `console.table`).
 *
 * @example
 * ```ts
 * client.middleware.add(traceId, { name: "traceId", phase: "initialize" });
 * client.middleware.remove("validateOutput");
 * console.table(client.middleware.list()); // the name and phase of each middleware, in order
 * ```
 */
export class MiddlewareStack {
  // Kept in final order: every change places the entry where it belongs.
  #entries: Entry[] = [];

  /** Adds a middleware; throws if the name is taken or `before`/`after` names no middleware of that phase. */
  add(middleware: Middleware, placement: Placement): this {
    const { name, phase, before, after } = placement;
    if (!PHASES.includes(phase)) throw new TypeError(`middleware "${name}": unknown phase "${phase}"; phases are ${PHASES.join(", ")}`);
    if (this.has(name)) throw new TypeError(`middleware "${name}" is already in the stack: remove or replace it`);
    if (before !== undefined && after !== undefined) throw new TypeError(`middleware "${name}": give before or after, not both`);
    const anchor = before ?? after;
    let at: number;
    if (anchor !== undefined) {
      at = this.#entries.findIndex((entry) => entry.name === anchor);
      if (at < 0 || this.#entries[at]?.phase !== phase)
        throw new TypeError(
          `middleware "${name}": there is no "${anchor}" in the ${phase} phase to place it ${before ? "before" : "after"}`,
        );
      if (after !== undefined) at++;
    } else {
      const phaseIndex = PHASES.indexOf(phase);
      at = this.#entries.findIndex((entry) => PHASES.indexOf(entry.phase) > phaseIndex);
      if (at < 0) at = this.#entries.length;
    }
    this.#entries.splice(at, 0, { ...placement, middleware });
    return this;
  }

  /** Removes a middleware by name; returns whether it was there. */
  remove(name: string): boolean {
    const at = this.#entries.findIndex((entry) => entry.name === name);
    if (at >= 0) this.#entries.splice(at, 1);
    return at >= 0;
  }

  /** Puts another middleware in a named one's place, keeping its position; throws if there is none. */
  replace(name: string, middleware: Middleware): this {
    const at = this.#entries.findIndex((entry) => entry.name === name);
    const entry = this.#entries[at];
    if (!entry) throw new TypeError(`there is no middleware "${name}" to replace`);
    this.#entries[at] = { ...entry, middleware };
    return this;
  }

  /** Whether a middleware of that name is in the stack. */
  has(name: string): boolean {
    return this.#entries.some((entry) => entry.name === name);
  }

  /** The middleware in the order they run, name and phase of each: for an operation's calls, with its own middleware. */
  list(operation?: Operation): { name: string; phase: Phase }[] {
    return this.#for(operation).#entries.map(({ name, phase }) => ({ name, phase }));
  }

  // This stack plus an operation's own middleware (a middleware of this stack with the same name wins).
  #for(operation: Operation | undefined): MiddlewareStack {
    const extra = operation?.middleware?.filter(({ name }) => !this.has(name));
    if (!extra?.length) return this;
    const stack = this.clone();
    for (const { middleware, ...placement } of extra) stack.add(middleware, placement);
    return stack;
  }

  /** A copy, to change without touching this one. */
  clone(): MiddlewareStack {
    const copy = new MiddlewareStack();
    copy.#entries = [...this.#entries];
    return copy;
  }

  /** Runs the stack, with the operation's own middleware, on a context: each middleware's `next()` runs the ones after it. */
  run(context: Context): Promise<void> {
    const chain = this.#for(context.operation).#entries.map((entry) => entry.middleware);
    const dispatch = (index: number): Promise<void> => {
      const middleware = chain[index];
      return middleware ? middleware(context, () => dispatch(index + 1)) : Promise.resolve();
    };
    return dispatch(0);
  }
}
