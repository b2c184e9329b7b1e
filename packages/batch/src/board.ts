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

/** Where each photo of a batch is: its phase, its outcome once it has one, the counts, and the events that tell it. */
export class Board {
  readonly counts: BatchCounts = noCounts();
  readonly #phase = new Map<string, keyof BatchCounts>();
  readonly #outcomes = new Map<string, PhotoOutcome>();
  readonly #onEvent: ((event: BatchEvent) => void) | undefined;

  constructor(onEvent: ((event: BatchEvent) => void) | undefined) {
    this.#onEvent = onEvent;
  }

  /** The first error the listener threw: the batch goes on (its records matter more), then rejects with it. */
  listenerError: { error: unknown } | undefined;

  /** Moves a photo to a phase, and says so (as `type`, by default the phase; `pending` is not said). */
  move(item: Named, to: keyof BatchCounts, extra: Partial<BatchEvent> = {}, type?: BatchEvent["type"]): void {
    const from = this.#phase.get(item.key);
    if (from === to) return;
    if (from) this.counts[from]--;
    this.counts[to]++;
    this.#phase.set(item.key, to);
    if (to !== "pending") this.#say({ type: type ?? to, name: item.name, ...extra, counts: { ...this.counts } });
  }

  /** Tells the listener; a listener that throws must not stop a JobId from being recorded. */
  #say(event: BatchEvent): void {
    try {
      this.#onEvent?.(event);
    } catch (error) {
      this.listenerError ??= { error };
    }
  }

  /** A photo reached its outcome. */
  end(item: Named, outcome: Omit<PhotoOutcome, "name" | "key">): void {
    this.#outcomes.set(item.key, { name: item.name, key: item.key, ...outcome });
    const { JobId, location, bytes, message } = outcome;
    this.move(item, outcome.outcome, { JobId, location, bytes, message });
  }

  /** Something that is not a photo's move: a limit learnt, a record not written, submitting stopped. */
  tell(event: Omit<BatchEvent, "counts">): void {
    this.#say({ ...event, counts: { ...this.counts } });
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
