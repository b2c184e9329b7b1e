import * as v from "valibot";

const key = v.pipe(v.string(), v.minLength(1));
const JobId = v.pipe(v.string(), v.regex(/^\d+$/));
const at = v.pipe(v.number(), v.finite());

/**
 * One line of a batch's journal. A photo's lines, in order, are its whole history:
 * - `intent`: its Submit is about to be sent (written, and flushed, before it is);
 * - `submitted`: the Submit answered with this JobId (or, `adopted`, the user named the job found for it);
 * - `not-submitted`: the Submit was answered with an error, or provably never left: no job exists;
 * - `failed`: its job ended in FAIL;
 * - `saved`: its video is kept at `location` (`bytes` long, with this `sha256` if known).
 * An `intent` with nothing after it is a Submit that was in flight when the process stopped: the
 * job may or may not exist.
 *
 * @example
 * ```ts
 * const record: JournalRecord = { type: "submitted", key: "ke3:9f86d0...", JobId: "1194931538865782784", at: Date.now() };
 * ```
 */
export const JournalRecord = v.variant("type", [
  v.strictObject({ type: v.literal("intent"), key, name: v.string(), at }),
  v.strictObject({ type: v.literal("submitted"), key, JobId, at, adopted: v.optional(v.literal(true)) }),
  v.strictObject({ type: v.literal("not-submitted"), key, reason: v.string() }),
  v.strictObject({ type: v.literal("failed"), key, JobId, code: v.string(), message: v.string() }),
  v.strictObject({
    type: v.literal("saved"),
    key,
    JobId,
    location: v.string(),
    bytes: v.pipe(v.number(), v.integer()),
    sha256: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  }),
]);
/** One line of a batch's journal: see {@link JournalRecord}. */
export type JournalRecord = v.InferOutput<typeof JournalRecord>;

/**
 * Where a batch keeps its journal: append-only, and durable when `append` resolves (a file synced
 * to disk, a Durable Object's storage). `read` gives every record appended so far, in order.
 *
 * @example
 * ```ts
 * const records: JournalRecord[] = [];
 * const journal: Journal = { read: async () => records, append: async (record) => void records.push(record) };
 * ```
 */
export interface Journal {
  read(): Promise<readonly JournalRecord[]>;
  append(record: JournalRecord): Promise<void>;
  /** Lets go of the journal (a file's lock). */
  close?(): Promise<void>;
}

/**
 * A journal in memory: for tests, and for a batch that need not survive its process.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * import { saveToDirectory } from "@vclm/batch/node";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const journal = await memoryJournal();
 * await animateMany(client, photos, { journal, ...(await saveToDirectory("out")) });
 * console.log(journal.records.length);
 * ```
 */
export async function memoryJournal(records: JournalRecord[] = []): Promise<Journal & { readonly records: readonly JournalRecord[] }> {
  return {
    records,
    read: async () => [...records],
    append: async (record) => {
      records.push(v.parse(JournalRecord, record));
    },
  };
}

/** Where one photo stands, from its journal lines. */
export interface PhotoState {
  phase: "new" | "unsure" | "submitted" | "failed" | "saved";
  JobId?: string;
  /** When its job was submitted (ms): for an adopted job, when it was adopted. */
  submittedAt?: number;
  adopted?: boolean;
  sha256?: string | undefined;
  code?: string;
  message?: string;
  location?: string;
  bytes?: number;
}

/** Folds a journal into each photo's state, by key. */
export function replay(records: readonly JournalRecord[]): Map<string, PhotoState> {
  const states = new Map<string, PhotoState>();
  for (const record of records) {
    const state = states.get(record.key) ?? { phase: "new" };
    states.set(record.key, state);
    switch (record.type) {
      case "intent":
        state.phase = "unsure";
        break;
      case "not-submitted":
        if (state.phase === "unsure") state.phase = "new";
        break;
      case "submitted":
        Object.assign(state, { phase: "submitted", JobId: record.JobId, submittedAt: record.at, adopted: record.adopted === true });
        break;
      case "failed":
        Object.assign(state, { phase: "failed", JobId: record.JobId, code: record.code, message: record.message });
        break;
      case "saved":
        Object.assign(state, {
          phase: "saved",
          JobId: record.JobId,
          location: record.location,
          bytes: record.bytes,
          sha256: record.sha256,
        });
        break;
    }
  }
  return states;
}

/**
 * One photo as a {@link SharedJournal} sees it: its records, which process holds it (the one whose
 * Submit is in flight, or who waits for its job and saves its video), and whether that process is
 * still alive (it renews a heartbeat while its journal is open).
 */
export interface SharedPhoto {
  readonly records: readonly JournalRecord[];
  readonly holder?: string | undefined;
  readonly alive: boolean;
}

/**
 * A journal that many processes, on many machines, work from at once (`redisJournal` from
 * `@vclm/redis`). Each photo has one holder at a time: a process claims a photo's Submit with
 * compare-and-set ({@link SharedJournal.claim}), so exactly one process pays for it; the process
 * that submitted it waits for its job and saves its video; when a holder stops (its heartbeat
 * lapses), a job it submitted is taken over by another ({@link SharedJournal.takeOver}), and a
 * Submit it had in flight is `maybe-submitted` for everyone. `animateMany` works this way when its
 * journal has these methods.
 *
 * @example
 * ```ts
 * const isShared = (journal: Journal): journal is SharedJournal => "claim" in journal;
 * ```
 */
export interface SharedJournal extends Journal {
  /** This process, as the journal names it (in claims and heartbeats). */
  readonly holder: string;
  /**
   * How often a live process renews its heartbeat. A holder is taken as gone only when it has not
   * been alive for two of these: after a Redis restart, every heartbeat may have lapsed at once,
   * and a live process renews its own within one. @default 5_000
   */
  readonly heartbeatMs?: number | undefined;
  /**
   * Appends `intent` only if no process has the photo (no records, or its last Submit made no job),
   * or, with `over`, if the photo's Submit in flight is that holder's and that holder is gone (an
   * intent seen when the run began, which the options submit again). Resolves to whether it did.
   */
  claim(intent: JournalRecord & { type: "intent" }, options?: { over?: string | undefined }): Promise<boolean>;
  /** Each photo's records and holder, by key. */
  look(keys: readonly string[]): Promise<Map<string, SharedPhoto>>;
  /** Becomes the holder of a submitted photo whose holder is gone: resolves to whether it did. */
  takeOver(key: string): Promise<boolean>;
}

/** Whether a journal is shared by many processes. */
export const isShared = (journal: Journal): journal is SharedJournal =>
  typeof (journal as Partial<SharedJournal>).claim === "function" && typeof (journal as Partial<SharedJournal>).look === "function";
