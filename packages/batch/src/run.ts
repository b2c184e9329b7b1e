import { type AccountLimits, systemClock, type TemplateId, type VclmClient } from "@vclm/core";
import { backoff as coreBackoff } from "@vclm/core/internal";
import { JobTracker } from "@vclm/poller";
import { Board, type Named } from "./board.js";
import { JobSlots } from "./job-slots.js";
import { isShared, type Journal, type SharedJournal } from "./journal.js";
import { localAccountLimits } from "./local-limits.js";
import { ObservedBatch } from "./observed.js";
import type { Item } from "./plan.js";
import { Slots } from "./slots.js";
import type { AnimateManyOptions } from "./types.js";

/** What every part of one batch run shares: the client, the journal, the limits, the board, and how it stops. */
export interface Run {
  readonly client: VclmClient;
  readonly options: AnimateManyOptions;
  readonly journal: Journal;
  /** The journal, when other processes work from it too. */
  readonly shared: SharedJournal | undefined;
  /** Photos another process holds (its Submit in flight, or its job): looked at until they end or are let go. */
  readonly watched: Map<string, { readonly item: Item; readonly since: number }>;
  /** With a shared journal: the photos to submit again (resubmitUnsure), and whose intent each had when the run began. */
  readonly resubmitting: Map<string, string>;
  /** Watched photos whose holder was not alive on a look, and since when (see watch-others). */
  readonly gone: Map<string, number>;
  readonly TemplateId: TemplateId;
  readonly now: () => number;
  readonly wait: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  readonly random: () => number;
  readonly board: Board;
  /** The batch's span and log lines, with `observe` on the client. */
  readonly observed: ObservedBatch | undefined;
  readonly tracker: JobTracker;
  /** The photo each tracked JobId is for. */
  readonly following: Map<string, Named>;
  /** The account's limits: this process's own, or shared by a fleet (`options.limits`). */
  readonly limits: AccountLimits;
  /** The account's concurrent jobs: ours, and Submits that may have made one, by photo key. */
  readonly jobs: JobSlots;
  readonly downloads: Slots;
  readonly pace: (signal?: AbortSignal) => Promise<void>;
  /** Aborted when no more Submits may start: the user's signal, or a reason to stop (see `stop`). */
  readonly submitting: AbortController;
  /** Aborted when the run is over: ends waits that outlive its work (a held slot, a record tried again). */
  readonly ending: AbortController;
  /** Why the batch stopped submitting, if it did. */
  stopped: string | undefined;
  /** Jobs waited for and saved, in the order they began. */
  readonly finishing: Promise<void>[];
  /** Work that may end after the photos do (records tried again): awaited before the report. */
  readonly background: Promise<void>[];
  /** JobIds the journal has not recorded yet, by photo key. */
  readonly unrecorded: Map<string, string>;
  /** Keys whose last record has been asked for: a `submitted` tried again must not land after it. */
  readonly finalised: Set<string>;
  /** Jobs this run submitted. */
  submitted: number;
  /** Ends the run: aborts `ending`, and stops listening to the user's signal. */
  close(): void;
}

/** A job of ours ended: its slot is free (and the limit may try one more). */
export function jobEnded(run: Run, key: string): void {
  releaseSlot(run, key);
}

/** Gives a photo's slot back; a shared store that does not answer lets it lapse with its lease. */
export function releaseSlot(run: Run, key: string): void {
  run.jobs.release(key).catch(() => {});
}

/** How long a job nobody follows any more (a Submit whose answer was lost, a wait given up) counts as holding a slot. */
const HOLD_MS = 10 * 60_000;

/**
 * A job that may be running, that nobody follows, keeps its slot for a while: the account's limit
 * counts it whoever knows its JobId. Released when the run ends, too.
 */
export function holdSlot(run: Run, key: string): void {
  void run.wait(HOLD_MS, run.ending.signal).then(
    () => releaseSlot(run, key),
    () => {},
  );
}

/** A photo another process holds: looked at until it ends there, or is let go (see watch-others). */
export function watch(run: Run, item: Item): void {
  run.watched.set(item.key, { item, since: run.now() });
  run.board.move(item, "pending");
}

/** No more Submits this run (jobs already submitted go on): says why, once. */
export function stopSubmitting(run: Run, why: string): void {
  if (run.stopped) return;
  run.stopped = why;
  run.submitting.abort(new Error(why));
  run.board.tell({ type: "stopped", message: why });
}

/** How long to pause before trying again: core's backoff, from a second, doubling, at most a minute. */
export const backoff = (run: Run, attempt: number): number => coreBackoff(attempt, { first: 1_000, max: 60_000 }, run.random);

/** A pause before the next Submit: ends early (rejecting) when submitting stops. */
export const pause = (run: Run, attempt: number): Promise<void> => run.wait(backoff(run, attempt), run.submitting.signal);

/** Starts a run of `photos` photos (its span too, with `observe` on the client). */
export function startRun(client: VclmClient, options: AnimateManyOptions, photos: number): Run {
  const { requestsPerSecond = 20, clock = systemClock } = options;
  const now = () => clock.now();
  const wait = (ms: number, signal: AbortSignal | undefined) => clock.sleep(ms, signal);
  const random = () => clock.random();
  const { observer } = client.state;
  const observed = observer && new ObservedBatch(observer, photos, options.parent);
  const board = new Board(options.onEvent, observed);
  const following = new Map<string, Named>();
  const tracker = new JobTracker(client, {
    requestsPerSecond,
    clock,
    ...(options.maxWait !== undefined && { maxWait: options.maxWait }),
    ...(options.limits && { limits: options.limits }),
    onProgress: ({ JobId, Status }) => {
      const item = following.get(JobId);
      if (item && (Status === "WAIT" || Status === "RUN")) board.move(item, Status === "WAIT" ? "waiting" : "running", { JobId });
    },
  });
  // After the tracker, which checks the options (requestsPerSecond among them) with a clear error.
  const limits = options.limits ?? localAccountLimits({ requestsPerSecond, concurrentJobs: options.concurrentJobs, now });
  const submitting = new AbortController();
  const ending = new AbortController();
  const downloads = new Slots(options.saveConcurrency ?? 4);
  const stop = () => {
    submitting.abort(options.signal?.reason);
    downloads.close(options.signal?.reason); // one listener for every video waiting to be saved
  };
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener("abort", stop, { once: true });
  return {
    client,
    options,
    journal: options.journal,
    shared: isShared(options.journal) ? options.journal : undefined,
    watched: new Map(),
    resubmitting: new Map(),
    gone: new Map(),
    TemplateId: options.TemplateId ?? "ke3",
    now,
    wait,
    random,
    board,
    observed,
    tracker,
    following,
    limits,
    jobs: new JobSlots(limits, {
      shared: options.limits !== undefined,
      concurrentJobs: options.concurrentJobs,
      sleep: wait,
      ...(isShared(options.journal) && { owner: options.journal.holder }),
      // The slots this process holds (with shared limits, its share of the account's: a fleet's sum them).
      ...(observer && { held: (count: number) => observer.gauge("vclm.slots.in_use", count) }),
    }),
    downloads,
    pace: async (signal) => wait(await limits.pace("SubmitImageAnimateJob"), signal),
    submitting,
    ending,
    stopped: undefined,
    finishing: [],
    background: [],
    unrecorded: new Map(),
    finalised: new Set(),
    submitted: 0,
    close() {
      options.signal?.removeEventListener("abort", stop);
      ending.abort();
      this.jobs.close();
    },
  };
}
