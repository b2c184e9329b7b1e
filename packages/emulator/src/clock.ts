/**
 * The emulator's time. Everything that depends on time (job progress, signature and token expiry,
 * video expiry, the Date header) reads it here, so tests move it instead of waiting.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ clock: "manual" });
 * emulator.clock.advance(15_000); // the jobs submitted so far are now DONE
 * ```
 */
export class EmulatorClock {
  #frozenAt: number | undefined;
  #offset = 0;

  /** `"manual"` stands still until moved; `"real"` follows the system clock (plus any advance). */
  constructor(mode: "real" | "manual" = "real", start: number = Date.now()) {
    if (mode === "manual") this.#frozenAt = start;
  }

  /** Milliseconds since 1970, emulator time. */
  now(): number {
    return (this.#frozenAt ?? Date.now()) + this.#offset;
  }

  /** Moves time forward (or back, with a negative number). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new TypeError("clock.advance() takes a finite number of milliseconds");
    this.#offset += ms;
  }

  /** Sets the time outright. */
  set(ms: number): void {
    this.#offset += ms - this.now();
  }
}
