import type { EmulatorClock } from "./clock.js";
import type { EmulatorOptions } from "./emulator-options.js";
import type { JobStore } from "./jobs/store.js";
import { route } from "./router.js";
import type { Scenarios } from "./scenarios.js";
import { serviceOf } from "./service.js";
import { type EmulatorState, restoreInto, snapshotOf } from "./state.js";

export type { EmulatorOptions } from "./emulator-options.js";
export type { EmulatorState } from "./state.js";

/**
 * A local VCLM service: the real wire protocol, TC3-HMAC-SHA256 checked for its accounts, STS
 * temporary credentials, jobs that move WAIT -> RUN -> DONE on its clock with a real video at the
 * end, the service's limits and error codes, and scenarios for tests. `fetch` is a plain fetch
 * handler: use it with `Deno.serve`, as a Worker's `fetch`, or through `@vclm/emulator/node`.
 * Made by {@link createEmulator}.
 *
 * @example
 * ```ts
 * declare const Deno: { serve(options: { port: number }, handler: (request: Request) => Promise<Response>): unknown }; // Deno's own global
 * const emulator: Emulator = createEmulator();
 * Deno.serve({ port: 8080 }, (request) => emulator.fetch(request));
 * ```
 */
export interface Emulator {
  /** The emulator's time: move it to make jobs progress without waiting. */
  readonly clock: EmulatorClock;
  /** Faults and failures for tests. */
  readonly scenarios: Scenarios;
  /** The jobs, for inspection. */
  readonly jobs: JobStore;
  /**
   * Answers one HTTP request. Throws {@link DroppedConnection} when a scenario drops the connection.
   * `info.remoteAddress`, the address the request came from, is what a policy's `qcs:ip` condition
   * is checked against; the Node server passes it. Without it, such a condition fails closed: an
   * allow with one does not hold, a deny with one applies.
   */
  fetch(request: Request, info?: { readonly remoteAddress?: string | undefined }): Promise<Response>;
  /** The state worth keeping across a restart: jobs, unexpired temporary credentials and the video links' key. */
  snapshot(): EmulatorState;
  /** Takes back a {@link Emulator.snapshot}. */
  restore(state: EmulatorState): void;
}

/**
 * Makes an {@link Emulator}: the one way to make one in memory (`startEmulator` of
 * `@vclm/emulator/node` makes one and serves it over HTTP). Throws a TypeError for an option that
 * cannot work: an `oidcProviders` entry that is not set up right, an `imageUrlTimeoutMs` that is
 * not a positive number.
 *
 * @example
 * ```ts
 * export default createEmulator({ cors: true }); // a Worker: its fetch is the handler
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const service = serviceOf(options);
  return {
    clock: service.clock,
    scenarios: service.scenarios,
    jobs: service.jobs,
    fetch: (request, info = {}) => route(service, request, info.remoteAddress),
    snapshot: () => snapshotOf(service),
    restore: (state) => restoreInto(service, state),
  };
}
