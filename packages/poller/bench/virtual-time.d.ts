import type { Clock, VclmClient } from "@vclm/core";
import type { Emulator, Schedule } from "@vclm/emulator";

/** An emulator and a client on one virtual clock (see virtual-time.js). */
export function virtualWorld(options?: { schedule?: Schedule; limits?: Record<string, number> }): {
  emulator: Emulator;
  client: VclmClient;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** The virtual clock, as the poller's `clock` option takes it. */
  clock: Clock;
  elapsed: () => number;
  run: (done?: () => boolean) => Promise<void>;
  describes: number[];
  calls: { action: string; at: number }[];
  start: number;
};
