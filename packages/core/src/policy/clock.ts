import { sleep } from "../util/sleep.js";

/**
 * Time and chance, as the vclm packages use them: the time now in ms, a wait that ends early
 * (rejecting with the signal's reason) when its signal aborts, and a random number in [0, 1) for
 * jitter. Every package that waits takes one as its `clock` option, so a test or a simulation can
 * run hours of retries, polling and pacing in virtual time with one object.
 *
 * @example
 * ```ts
 * let now = 0;
 * const virtual: Clock = { now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5 };
 * ```
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal | undefined): Promise<void>;
  random(): number;
}

/**
 * The real clock: `Date.now`, `setTimeout` (ending at once on abort) and `Math.random`.
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * await systemClock.sleep(1_000);
 * ```
 */
export const systemClock: Clock = { now: () => Date.now(), sleep, random: () => Math.random() };
