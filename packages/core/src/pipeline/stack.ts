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
 * another middleware of the same phase (otherwise, after those already in the phase). `tags` put
 * it in groups to remove together: `remove({ tag })`.
 *
 * Placement survives change. A middleware keeps its place when the one it was placed next to is
 * removed; an operation's own middleware, placed at each call, falls back to its phase when its
 * anchor is gone (as if it named none), so removing `validateInput` never breaks a Submit.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const logger: Middleware = async (context, next) => {
 *   console.log(context.operation.action, context.request.headers);
 *   await next();
 * };
 * client.middleware.add(logger, { name: "logger", phase: "sign", after: "signRequest", tags: ["logging"] });
 * ```
 */
export interface Placement {
  /** Unique in the stack: how `remove`, `replace` and other placements refer to it. */
  readonly name: string;
  /** The phase it runs in; also where it goes when its anchor is gone. */
  readonly phase: Phase;
  /** The name of a middleware of the same phase to go just before. */
  readonly before?: string | undefined;
  /** The name of a middleware of the same phase to go just after. */
  readonly after?: string | undefined;
  /** Groups it belongs to, e.g. a plugin's name: `remove({ tag })` removes a group at once. */
  readonly tags?: readonly string[] | undefined;
}

interface Entry extends Placement {
  readonly middleware: Middleware;
}

/**
 * The ordered middleware of a client. Order is data: by phase, then by placement within the
 * phase, and `list()` returns it (print it with `console.table`). Each operation's chain is built
 * on its first call and kept until the stack changes.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const traceId: Middleware = async (context, next) => {
 *   context.request.headers["X-TC-TraceId"] = crypto.randomUUID();
 *   await next();
 * };
 * client.middleware.add(traceId, { name: "traceId", phase: "serialize", after: "serializeJson", tags: ["tracing"] });
 * client.middleware.remove("validateOutput");
 * client.middleware.remove({ tag: "tracing" });
 * console.table(client.middleware.list()); // the name and phase of each middleware, in order
 * ```
 */
export class MiddlewareStack {
  // Kept in final order: every change places the entry where it belongs.
  #entries: Entry[] = [];
  // Each operation's chain, built on its first call; every change starts afresh.
  #chains = new WeakMap<Operation, Entry[]>();

  /** Adds a middleware; throws if the name is taken or `before`/`after` names no middleware of that phase. */
  add(middleware: Middleware, placement: Placement): this {
    const { name, phase, before, after } = placement;
    if (!PHASES.includes(phase)) throw new TypeError(`middleware "${name}": unknown phase "${phase}"; phases are ${PHASES.join(", ")}`);
    if (this.has(name)) throw new TypeError(`middleware "${name}" is already in the stack`);
    if (before !== undefined && after !== undefined) throw new TypeError(`middleware "${name}": give before or after, not both`);
    if (!this.#place({ ...placement, middleware }))
      throw new TypeError(`middleware "${name}": there is no "${before ?? after}" in the ${phase} phase`);
    return this;
  }

  // Puts an entry just before or after its anchor when that is in its phase; last in its phase when
  // it names no anchor, or when it is `loose` and the anchor is gone. False: it placed nothing.
  #place(entry: Entry, loose?: boolean): boolean {
    const { phase, before, after } = entry;
    const anchor = before ?? after;
    let at = this.#entries.findIndex((other) => other.name === anchor && other.phase === phase);
    if (at < 0) {
      if (anchor !== undefined && !loose) return false;
      // Entries are in phase order: after every one of this phase or an earlier one.
      at = this.#entries.filter((other) => PHASES.indexOf(other.phase) <= PHASES.indexOf(phase)).length;
    } else if (after !== undefined) at++;
    this.#entries.splice(at, 0, entry);
    this.#chains = new WeakMap();
    return true;
  }

  /**
   * Removes a middleware by name, or every middleware tagged `tag` (a plugin's group); returns
   * whether there was one.
   *
   * @example
   * ```ts
   * const client = new VclmClient({ region: "ap-singapore" }).use(retry());
   * client.middleware.remove("validateOutput");
   * client.middleware.remove({ tag: "retry" });
   * ```
   */
  remove(which: string | { readonly tag: string }): boolean {
    const entries = this.#entries;
    this.#entries = entries.filter((entry) => (typeof which === "string" ? entry.name !== which : !entry.tags?.includes(which.tag)));
    this.#chains = new WeakMap();
    return this.#entries.length < entries.length;
  }

  /** Puts another middleware in a named one's place, keeping its position; throws if there is none. */
  replace(name: string, middleware: Middleware): this {
    const at = this.#entries.findIndex((entry) => entry.name === name);
    const entry = this.#entries[at];
    if (!entry) throw new TypeError(`there is no middleware "${name}" to replace`);
    this.#entries[at] = { ...entry, middleware };
    this.#chains = new WeakMap();
    return this;
  }

  /** Whether a middleware of that name is in the stack. */
  has(name: string): boolean {
    return this.#entries.some((entry) => entry.name === name);
  }

  /** The middleware in the order they run, name and phase of each: for an operation's calls, with its own middleware. */
  list(operation?: Operation): { name: string; phase: Phase }[] {
    return (operation ? this.#chain(operation) : this.#entries).map(({ name, phase }) => ({ name, phase }));
  }

  // This stack plus an operation's own middleware (a middleware of this stack with the same name
  // wins), built on the operation's first call after a change.
  #chain(operation: Operation): Entry[] {
    let chain = this.#chains.get(operation);
    if (!chain) {
      const stack = this.clone();
      for (const entry of operation.middleware ?? []) if (!this.has(entry.name)) stack.#place(entry, true);
      chain = stack.#entries;
      this.#chains.set(operation, chain);
    }
    return chain;
  }

  /** A copy, to change without touching this one. */
  clone(): MiddlewareStack {
    const copy = new MiddlewareStack();
    copy.#entries = [...this.#entries];
    return copy;
  }

  /** Runs the stack, with the operation's own middleware, on a context: each middleware's `next()` runs the ones after it. */
  run(context: Context): Promise<void> {
    const chain = this.#chain(context.operation);
    const dispatch = (index: number): Promise<void> => chain[index]?.middleware(context, () => dispatch(index + 1)) ?? Promise.resolve();
    return dispatch(0);
  }
}
