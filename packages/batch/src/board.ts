import type { VclmSpan } from "@vclm/core";
import type { ObservedBatch } from "./observed.js";
import type { BatchCounts, BatchEvent, BatchPhoto, BatchReport, Outcome, PhotoOutcome } from "./types.js";

/** A photo of the batch as the board knows it. */
export interface Named {
  readonly name: string;
  readonly key: string;
}

const noCounts = (): BatchCounts => ({
  pending: 0,
  waiting: 0,
  running: 0,
  saving: 0,
  saved: 0,
  failed: 0,
  "maybe-submitted": 0,
  lost: 0,
  refused: 0,
  error: 0,
});

/**
 * Where each photo of a batch is: its phase, its outcome once it has one, the counts, and the
 * events that tell it (to the listener, and, with `observe` on the client, to the photo's span and the log).
 */
export class Board {
  readonly counts: BatchCounts = noCounts();
  readonly #phase = new Map<string, keyof BatchCounts>();
  readonly #outcomes = new Map<string, PhotoOutcome>();
  readonly #onEvent: ((event: BatchEvent) => void) | undefined;
  readonly #observed: ObservedBatch | undefined;

  constructor(onEvent: ((event: BatchEvent) => void) | undefined, observed?: ObservedBatch) {
    this.#onEvent = onEvent;
    this.#observed = observed;
  }

  /** The photo's span, for its calls (its Submit, its job's Describes) to be part of; undefined without `observe`. */
  span(item: Named): VclmSpan | undefined {
    return this.#observed?.photo(item);
  }

  /** The first error the listener (or a tracer or logger) threw: the batch goes on (its records matter more), then rejects with it. */
  listenerError: { error: unknown } | undefined;

  /** Moves a photo to a phase, and says so (as `type`, by default the phase; `pending` is not said). */
  move(item: Named, to: keyof BatchCounts, extra: Partial<BatchEvent> = {}, type?: BatchEvent["type"], code?: string): void {
    const from = this.#phase.get(item.key);
    if (from === to) return;
    if (from) this.counts[from]--;
    this.counts[to]++;
    this.#phase.set(item.key, to);
    if (to !== "pending") this.#say({ type: type ?? to, name: item.name, ...extra, counts: { ...this.counts } }, item, code);
  }

  /** Tells the observer and the listener; one that throws must not stop a JobId from being recorded. */
  #say(event: BatchEvent, item?: Named, code?: string): void {
    try {
      this.#observed?.said(event, item, code);
      this.#onEvent?.(event);
    } catch (error) {
      this.listenerError ??= { error };
    }
  }

  /** A photo reached its outcome. */
  end(item: Named, outcome: Omit<PhotoOutcome, "name" | "key">): void {
    this.#outcomes.set(item.key, { name: item.name, key: item.key, ...outcome });
    const { JobId, location, bytes, message, code } = outcome;
    this.move(item, outcome.outcome, { JobId, location, bytes, message }, undefined, code);
  }

  /** Something that is not a photo's move: a Submit sent, a record not written (of `item`); a limit learnt, submitting stopped. */
  tell(event: Omit<BatchEvent, "counts">, item?: Named): void {
    this.#say({ ...event, counts: { ...this.counts } }, item);
  }

  /** Adds to a photo's outcome (a JobId the journal could not record). */
  amend(key: string, change: (outcome: PhotoOutcome) => PhotoOutcome): void {
    const outcome = this.#outcomes.get(key);
    if (outcome) this.#outcomes.set(key, change(outcome));
  }

  /** Every photo given, in order (the same bytes again share the first one's outcome), and the counts of distinct photos. */
  report(photos: readonly BatchPhoto[], keys: readonly string[]): Pick<BatchReport, "photos" | "counts"> {
    const counts: Record<Outcome, number> = { saved: 0, failed: 0, "maybe-submitted": 0, lost: 0, refused: 0, error: 0 };
    for (const outcome of this.#outcomes.values()) counts[outcome.outcome]++;
    const report = keys.map((key, at) => {
      const outcome = this.#outcomes.get(key) as PhotoOutcome;
      const name = (photos[at] as BatchPhoto).name;
      return name === outcome.name ? outcome : { ...outcome, name, sameAs: outcome.name };
    });
    return { photos: report, counts };
  }
}
