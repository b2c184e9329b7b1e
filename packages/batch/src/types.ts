import {
  type AccountLimits,
  type Clock,
  type InputOf,
  type PhotoSource,
  type SubmitImageAnimateJob,
  type TemplateId,
  VclmError,
  type VclmSpan,
} from "@vclm/core";
import type { Journal } from "./journal.js";

/**
 * One photo of a batch: a name for reports and file names, and its bytes, or a function that reads
 * them when needed (so a thousand photos are not all held at once).
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const photo: BatchPhoto = { name: "alice.jpg", photo: () => readFile("alice.jpg") };
 * ```
 */
export interface BatchPhoto {
  readonly name: string;
  readonly photo: PhotoSource | (() => Promise<PhotoSource>);
}

/**
 * A finished job's video, to keep: what {@link AnimateManyOptions.save} receives.
 *
 * @example
 * ```ts
 * const save = async ({ JobId, url }: VideoToSave) => {
 *   const { body } = await openVideo(url);
 *   const bytes = (await new Response(body).arrayBuffer()).byteLength;
 *   return { location: `memory:${JobId}`, bytes };
 * };
 * ```
 */
export interface VideoToSave {
  /** The photo's key in the journal: its template and content hash. */
  readonly key: string;
  readonly name: string;
  readonly TemplateId: TemplateId;
  readonly JobId: string;
  /** The job's ResultVideoUrl (valid for 24 hours). */
  readonly url: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Where a video was kept, as {@link AnimateManyOptions.save} says and the journal records it.
 *
 * @example
 * ```ts
 * const saved: SavedVideo = { location: "/videos/alice-ke3.mp4", bytes: 1_234_567, sha256: "9f86d0..." };
 * ```
 */
export interface SavedVideo {
  readonly location: string;
  readonly bytes: number;
  /** The video's SHA-256 (hex), if known: lets a later run check the file still holds it. */
  readonly sha256?: string | undefined;
}

/**
 * How a batch ended for one photo:
 * - `saved`: its video is kept (`location`, `bytes`);
 * - `failed`: its job ended in FAIL (`code`, `message`): not submitted again;
 * - `maybe-submitted`: its Submit was in flight when a run stopped, or failed in a way that does not
 *   tell whether it arrived. The job may exist and be paid for, so it is not sent again unless asked
 *   (`resubmitUnsure`): the API has no idempotency token and no job listing to check;
 * - `lost`: its job's video can no longer be had (the service keeps it 24 hours) and was never saved;
 * - `refused`: no job was made: the photo or the call was refused (`code`, `message`);
 * - `error`: not finished this run (`message`; `JobId` if the job exists): running the batch again
 *   picks it up.
 *
 * @example
 * ```ts
 * const unfinished = (outcome: Outcome) => outcome !== "saved" && outcome !== "failed";
 * ```
 */
export type Outcome = "saved" | "failed" | "maybe-submitted" | "lost" | "refused" | "error";

/**
 * One photo's line in a {@link BatchReport}.
 *
 * @example
 * ```ts
 * const line = ({ name, outcome, JobId }: PhotoOutcome) => `${name}: ${outcome}${JobId ? ` (job ${JobId})` : ""}`;
 * ```
 */
export interface PhotoOutcome {
  readonly name: string;
  readonly key: string;
  readonly outcome: Outcome;
  readonly JobId?: string | undefined;
  readonly location?: string | undefined;
  readonly bytes?: number | undefined;
  /** The saved video's SHA-256 (hex), when the `save` said. */
  readonly sha256?: string | undefined;
  readonly code?: string | undefined;
  /** Why, for outcomes other than `saved`; for `saved`, anything the reader must know (a JobId the journal could not record). */
  readonly message?: string | undefined;
  /** The photo's bytes are another photo's of this batch (named here): one job, one video for both. */
  readonly sameAs?: string | undefined;
  /** The journal could not record this photo's job: a rerun sees it as maybe submitted (adopt it with this JobId). */
  readonly unrecorded?: true | undefined;
}

/**
 * Where the photos of a running batch are: not yet submitted, WAIT, RUN, video being saved, or one
 * of the final {@link Outcome}s.
 *
 * @example
 * ```ts
 * const show = (counts: BatchCounts) => `${counts.saved} saved, ${counts.running} running, ${counts.pending} to go`;
 * ```
 */
export type BatchCounts = Record<"pending" | "waiting" | "running" | "saving" | Outcome, number>;

/**
 * Something happened in a batch:
 * - a photo's Submit is being sent (`submitting`: its intent is in the journal; until its answer,
 *   the job may exist without a known JobId);
 * - a photo's job was submitted (`submitted`, with its JobId, before the journal records it),
 *   changed status (`waiting`, `running`), is being saved (`saving`), or the photo reached its
 *   {@link Outcome};
 * - the batch learnt the account's concurrent-job limit (`limit`);
 * - the journal could not record a job (`unrecorded`: its JobId is in this event and nowhere else yet);
 * - the batch stopped submitting (`stopped`: `message` says why; jobs already submitted go on).
 * `counts` are the batch's counts after it.
 *
 * @example
 * ```ts
 * const onEvent = (event: BatchEvent) => console.log(event.type, event.name ?? "", event.JobId ?? "");
 * ```
 */
export interface BatchEvent {
  readonly type: "submitting" | "submitted" | "waiting" | "running" | "saving" | "limit" | "unrecorded" | "stopped" | Outcome;
  readonly name?: string | undefined;
  readonly JobId?: string | undefined;
  /** For `limit`: the concurrent jobs the batch now keeps to. */
  readonly limit?: number | undefined;
  /** For `saved`: where the video is, and its size. */
  readonly location?: string | undefined;
  readonly bytes?: number | undefined;
  /** For outcomes other than `saved`, `unrecorded` and `stopped`: why. */
  readonly message?: string | undefined;
  readonly counts: Readonly<BatchCounts>;
}

/**
 * What {@link animateMany} returns: each photo's outcome, in the order given, and the counts.
 *
 * @example
 * ```ts
 * const exitCode = (report: BatchReport) => (report.counts["maybe-submitted"] ? 3 : report.counts.saved === report.photos.length ? 0 : 1);
 * ```
 */
export interface BatchReport {
  /** Every photo given, in order: a photo with the same bytes as an earlier one shares its outcome (`sameAs`). */
  readonly photos: readonly PhotoOutcome[];
  /** Outcomes of distinct photos (the same bytes twice count once). */
  readonly counts: Readonly<Record<Outcome, number>>;
  /** Jobs this run submitted (a resumed batch submits only what had no job). */
  readonly submitted: number;
  /** The account's concurrent-job limit as learnt from JobNumExceed (the fewest jobs the account refused one more beside), or `concurrentJobs` as given; undefined if neither. */
  readonly concurrentJobs: number | undefined;
  /** Why the batch stopped submitting before every photo was submitted, if it did. */
  readonly stopped?: string | undefined;
}

/**
 * How {@link animateMany} runs.
 *
 * @example
 * ```ts
 * import { saveToDirectory } from "@vclm/batch/node";
 *
 * const options: AnimateManyOptions = { journal: await memoryJournal(), ...(await saveToDirectory("out")), TemplateId: "tuziwu", requestsPerSecond: 10 };
 * ```
 */
export interface AnimateManyOptions {
  /** Where the batch records each step before taking the next: a rerun with the same journal resumes. */
  readonly journal: Journal;
  /** Keeps a finished job's video (a file, an R2 object) and says where; called again if it throws. */
  readonly save: (video: VideoToSave & { readonly signal?: AbortSignal | undefined }) => Promise<SavedVideo>;
  /**
   * Checks that a video an earlier run saved is still where the journal says, whole: resolves to
   * `undefined` if so, or to why not. A video that is not is saved again (while the service still
   * serves it). `saveToDirectory` (from `@vclm/batch/node`) gives one with its `save`.
   */
  readonly checkSaved?: ((video: SavedVideo) => Promise<string | undefined>) | undefined;
  /** @default "ke3" */
  readonly TemplateId?: TemplateId;
  /** Other Submit fields, the same for every photo (EnableBodyJoints, LogoAdd...). */
  readonly submit?: Omit<InputOf<typeof SubmitImageAnimateJob>, "TemplateId" | "ImageUrl" | "ImageBase64" | "photo">;
  /** Calls per second, at most, of each action (the service's limit is per account and action). @default 20 */
  readonly requestsPerSecond?: number;
  /** The account's concurrent-job limit, if known; otherwise the batch learns it from JobNumExceed. */
  readonly concurrentJobs?: number;
  /**
   * The account's limits shared with other processes (`redisAccountLimits` from `@vclm/redis`):
   * every Submit and Describe takes its turn of the shared rate, and every job holds a shared slot.
   * Without it, this batch keeps to `requestsPerSecond` and `concurrentJobs` on its own.
   */
  readonly limits?: AccountLimits | undefined;
  /**
   * Submit again the photos whose Submit was in flight when an earlier run stopped (`true`: all of
   * them; or these names). Only after checking the account has no job for them. @default false
   */
  readonly resubmitUnsure?: boolean | readonly string[];
  /**
   * Jobs found for photos the batch is unsure of (or never submitted), by photo name (any name of
   * photos with the same bytes): the batch records them as those photos' jobs, waits for them and
   * saves their videos.
   */
  readonly adopt?: Readonly<Record<string, string>>;
  /** Give up waiting for a job after this many ms of waiting in this run (a rerun waits again). @default 1_800_000 */
  readonly maxWait?: number;
  /** Videos saved at once. @default 4 */
  readonly saveConcurrency?: number;
  /**
   * Stops the batch: no new Submit starts; a Submit already sent is let finish and its JobId
   * recorded (the job is paid for); waiting and saving stop at once (a download's part is kept).
   * animateMany then rejects with a {@link BatchInterruptedError} whose `report` says what is left.
   */
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: BatchEvent) => void) | undefined;
  /**
   * With `observe` on the client: the span the batch's span (`vclm.batch`) is part of.
   * @default the tracer's active span
   * @example
   * ```ts
   * declare const tracer: VclmTracer; // otelTracer() from @vclm/otel, say
   * const client = new VclmClient({ region: "ap-singapore" }).use(observe({ tracer }));
   * const nightly = tracer.startSpan("nightly animations", {});
   * await animateMany(client, [], { journal: await memoryJournal(), save: async ({ JobId }) => ({ location: JobId, bytes: 0 }), parent: nightly });
   * nightly.end();
   * ```
   */
  readonly parent?: VclmSpan | undefined;
  /** Time, waits and jitter, for Submits, polling and pauses alike: a virtual clock runs a batch at once. @default systemClock */
  readonly clock?: Clock | undefined;
}

/**
 * A batch stopped by its `signal`. `report` is each photo's outcome when it stopped: what was saved,
 * the jobs still running at the service (with their JobIds: run the batch again to save their videos),
 * and the photos not submitted. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * import { saveToDirectory } from "@vclm/batch/node";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const stop = new AbortController();
 * process.once("SIGINT", () => stop.abort());
 * try {
 *   await animateMany(client, photos, { journal: await memoryJournal(), ...(await saveToDirectory("out")), signal: stop.signal });
 * } catch (error) {
 *   if (error instanceof BatchInterruptedError) console.error(error.message, error.report.counts);
 * }
 * ```
 */
export class BatchInterruptedError extends VclmError {
  readonly report: BatchReport;

  constructor(report: BatchReport, cause: unknown) {
    const running = report.photos.filter((photo) => photo.outcome === "error" && photo.JobId && !photo.sameAs);
    const unsure = report.counts["maybe-submitted"];
    const notSubmitted = report.photos.filter((photo) => photo.outcome === "error" && !photo.JobId && !photo.sameAs).length;
    const jobs = running.map((photo) => `${photo.name}: job ${photo.JobId}`).join(", ");
    const unrecorded = report.photos.filter((photo) => photo.unrecorded && !photo.sameAs).length;
    const where = unrecorded
      ? `; ${unrecorded} of them the journal could not record (the report says how to adopt them)`
      : " and the journal has them";
    super(
      `the batch was stopped (${(cause as Error)?.message ?? String(cause)}): ${report.counts.saved} saved${
        running.length ? `, ${running.length} jobs not finished or not saved (${jobs}): they are paid for${where}` : ""
      }${unsure ? `, ${unsure} maybe submitted` : ""}${notSubmitted ? `, ${notSubmitted} not submitted` : ""}; run the batch again with the same journal to go on`,
      { cause },
    );
    this.report = report;
  }
}
