import type { GenericSchema, InferInput, InferOutput } from "valibot";
import type { Middleware, Placement } from "./pipeline/stack.js";

/**
 * An API action as data: its name and version, the schemas of its input and output, and whether
 * sending it twice is harmless. A new action is one of these, not a new code path.
 *
 * @example
 * ```ts
 * const DescribeSomething = defineOperation({
 *   action: "DescribeSomething",
 *   version: "2024-05-23",
 *   service: "vclm",
 *   input: v.strictObject({ Id: v.string() }),
 *   output: v.object({ State: v.string(), RequestId: v.string() }),
 *   idempotent: true,
 * });
 * const client = new VclmClient({ region: "ap-singapore" });
 * const answer = await client.send(DescribeSomething, { Id: "1" });
 * ```
 */
export interface Operation<In extends GenericSchema = GenericSchema, Out extends GenericSchema = GenericSchema> {
  /** The action name, sent as `X-TC-Action`. */
  readonly action: string;
  /** The API version, sent as `X-TC-Version`. */
  readonly version: string;
  /** The service in the signature's credential scope, e.g. `vclm`: never the endpoint's host, which may be a relay or an IP. */
  readonly service: string;
  /** The schema the input must satisfy before anything is sent. */
  readonly input: In;
  /** The schema the answer's `Response` must satisfy. */
  readonly output: Out;
  /**
   * Whether sending the call twice has the effect of sending it once. Retries of a call that is not
   * idempotent (Submit creates a paid job) are limited to answers that prove nothing happened.
   */
  readonly idempotent: boolean;
  /**
   * Middleware only this action needs, placed into the client's stack for its calls (a client
   * middleware of the same name takes precedence). SubmitImageAnimateJob's photo check is one.
   */
  readonly middleware?: readonly OperationMiddleware[] | undefined;
}

/**
 * A middleware an operation brings with it, and where it goes.
 *
 * @example
 * ```ts
 * const extra: OperationMiddleware = {
 *   name: "logAction",
 *   phase: "initialize",
 *   middleware: async (context, next) => {
 *     console.log(context.operation.action);
 *     await next();
 *   },
 * };
 * ```
 */
export interface OperationMiddleware extends Placement {
  readonly middleware: Middleware;
}

/**
 * The input an operation accepts.
 *
 * @example
 * ```ts
 * const input: InputOf<typeof DescribeImageAnimateJob> = { JobId: "1194931538865782784" };
 * ```
 */
export type InputOf<Op extends Operation> = InferInput<Op["input"]>;

/**
 * The answer an operation resolves to.
 *
 * @example
 * ```ts
 * const client = new VclmClient({ region: "ap-singapore" });
 * const answer: OutputOf<typeof DescribeImageAnimateJob> = await client.send(DescribeImageAnimateJob, { JobId: "1194931538865782784" });
 * ```
 */
export type OutputOf<Op extends Operation> = InferOutput<Op["output"]>;

/**
 * Declares an operation; only gives the object its type.
 *
 * @example
 * ```ts
 * const Op = defineOperation({
 *   ...{ action: "DescribeSomething", version: "2024-05-23", service: "vclm", idempotent: true },
 *   input: v.strictObject({ Id: v.string() }),
 *   output: v.object({ RequestId: v.string() }),
 * });
 * ```
 */
export const defineOperation = <In extends GenericSchema, Out extends GenericSchema>(operation: Operation<In, Out>): Operation<In, Out> =>
  operation;
