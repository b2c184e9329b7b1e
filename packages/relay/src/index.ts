/**
 * A same-origin relay for browsers calling Tencent Cloud VCLM: forwards signed requests unchanged,
 * holds no secret, forwards only the VCLM actions, caps body size and rate, strips cookies.
 *
 * @example
 * ```ts
 * import { createRelay } from "@vclm/relay";
 * const relay = createRelay();
 * Deno.serve((request) => relay(request));
 * ```
 *
 * @packageDocumentation
 */
export { createRelay, type RelayOptions, type RelayRequestInfo } from "./relay.js";
