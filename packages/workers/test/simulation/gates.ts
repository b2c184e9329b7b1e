// A Durable Object's two gates, as workerd keeps them for one instance; the coordinator's promise
// ("stored before the call that follows it leaves") rests on them.
// Input gate: while a storage call is in flight, nothing else is delivered to the object (a new
// call, a fetch's or R2's answer), so code between two storage calls runs alone. Output gate: a
// request leaves only once every write made before it is stored; a crash first drops it with them.
import type { Clock } from "@vclm/core";

export class Gates {
  #storageCalls = 0;
  readonly #writes = new Set<Promise<unknown>>();

  /** `clock`: the object's process clock, whose zero-length sleeps wait for the input gate to open. */
  constructor(readonly clock: Clock) {}

  /** A storage call (a write, if `write`), counted while it is in flight. */
  storage<T>(call: () => Promise<T>, { write = false } = {}): Promise<T> {
    this.#storageCalls++;
    const done = call().finally(() => this.#storageCalls--);
    if (write) {
      const stored = done.then(
        () => {},
        () => {},
      );
      this.#writes.add(stored);
      void stored.then(() => this.#writes.delete(stored));
    }
    return done;
  }

  /**
   * Waits at the input gate. The simulation applies one operation at a time and only once every
   * continuation has run, so at a timer's turn a storage call counted here is truly in flight.
   */
  async enter(): Promise<void> {
    while (this.#storageCalls > 0) await this.clock.sleep(0);
  }

  /** Waits at the output gate: the writes made so far are stored (never, if the object crashes first). */
  async leave(): Promise<void> {
    while (this.#writes.size) await Promise.all(this.#writes);
  }

  /** An outgoing call (a fetch, an R2 call): leaves through the output gate, its answer comes in through the input gate. */
  async outgoing<T>(call: () => Promise<T>): Promise<T> {
    await this.leave();
    try {
      return await call();
    } finally {
      await this.enter();
    }
  }
}
