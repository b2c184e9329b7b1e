import {
  type InputOf,
  isVclmError,
  type PhotoSource,
  sleep as realSleep,
  SubmitImageAnimateJob,
  type VclmClient,
  VclmServiceError,
  VclmValidationError,
} from "@vclm/core";
import { JobFailedError, JobTracker } from "@vclm/poller";
import { classifySubmitFailure } from "./classify.js";
import { JobLimit } from "./job-limit.js";
import { type Journal, type PhotoState, replay } from "./journal.js";
import { pacer, Slots } from "./slots.js";

/**
 * One photo of a batch: a name for reports and file names, and its bytes, or a function that reads
 * them when needed (so a thousand photos are not all held at once).
 *
 * @example
 * ```ts
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
  readonly JobId: string;
  /** The job's ResultVideoUrl (valid for 24 hours). */
  readonly url: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * How a batch ended for one photo:
 * - `saved`: its video is kept (`location`, `bytes`);
 * - `failed`: its job ended in FAIL (`code`, `message`): not submitted again;
 * - `maybe-submitted`: its Submit was in flight when a run stopped, or failed in a way that does not
 *   tell whether it arrived. The job may exist and be paid for, so it is not sent again unless asked
 *   (`resubmitUnsure`): the API has no idempotency token and no job listing to check;
 * - `lost`: its job was submitted more than 24 hours ago and its video was never saved: the service
 *   no longer serves it;
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
  readonly code?: string | undefined;
  readonly message?: string | undefined;
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
 * Something happened in a batch: a job was submitted (`submitted`), changed status (`waiting`,
 * `running`), is being saved (`saving`), or a photo reached its {@link Outcome}; or the batch learnt
 * the account's concurrent-job limit (`limit`). `counts` are the batch's counts after it.
 *
 * @example
 * ```ts
 * const onEvent = (event: BatchEvent) => console.log(event.type, event.name ?? "", event.JobId ?? "");
 * ```
 */
export interface BatchEvent {
  readonly type: "submitted" | "waiting" | "running" | "saving" | "limit" | Outcome;
  readonly name?: string | undefined;
  readonly JobId?: string | undefined;
  /** For `limit`: the concurrent jobs the batch now keeps to. */
  readonly limit?: number | undefined;
  /** For `saved`: where the video is, and its size. */
  readonly location?: string | undefined;
  readonly bytes?: number | undefined;
  /** For outcomes other than `saved`: why. */
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
  readonly photos: readonly PhotoOutcome[];
  readonly counts: Readonly<Record<Outcome, number>>;
  /** Jobs this run submitted (a resumed batch submits only what had no job). */
  readonly submitted: number;
  /** The account's concurrent-job limit as learnt from JobNumExceed (the fewest jobs the account refused one more beside), or `concurrentJobs` as given; undefined if neither. */
  readonly concurrentJobs: number | undefined;
}

/**
 * How {@link animateMany} runs.
 *
 * @example
 * ```ts
 * const options: AnimateManyOptions = { journal: memoryJournal(), save, TemplateId: "tuziwu", requestsPerSecond: 10 };
 * ```
 */
export interface AnimateManyOptions {
  /** Where the batch records each step before taking the next: a rerun with the same journal resumes. */
  readonly journal: Journal;
  /** Keeps a finished job's video (a file, an R2 object) and says where; called again if it throws. */
  readonly save: (video: VideoToSave) => Promise<{ location: string; bytes: number }>;
  /** @default "ke3" */
  readonly TemplateId?: InputOf<typeof SubmitImageAnimateJob>["TemplateId"];
  /** Other Submit fields, the same for every photo (EnableBodyJoints, LogoAdd...). */
  readonly submit?: Omit<InputOf<typeof SubmitImageAnimateJob>, "TemplateId" | "ImageUrl" | "ImageBase64" | "photo">;
  /** Calls per second, at most, of each action (the service's limit is per account and action). @default 20 */
  readonly requestsPerSecond?: number;
  /** The account's concurrent-job limit, if known; otherwise the batch learns it from JobNumExceed. */
  readonly concurrentJobs?: number;
  /**
   * Submit again the photos whose Submit was in flight when an earlier run stopped (`true`: all of
   * them; or these names). Only after checking the account has no job for them. @default false
   */
  readonly resubmitUnsure?: boolean | readonly string[];
  /**
   * Jobs found for photos the batch is unsure of (or never submitted), by photo name: the batch
   * records them as those photos' jobs, waits for them and saves their videos.
   */
  readonly adopt?: Readonly<Record<string, string>>;
  /** Give up waiting for a job after this many ms (a rerun waits again). @default 1_800_000 */
  readonly maxWait?: number;
  /** Videos saved at once. @default 4 */
  readonly saveConcurrency?: number;
  /** Stops the batch: animateMany rejects with its reason; the journal keeps what was done. */
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: BatchEvent) => void) | undefined;
  /** The clock, in ms. @default Date.now */
  readonly now?: () => number;
  /** How to wait. @default setTimeout, ending at once on abort */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

/** A video URL is served this long; a job older than this without a saved video is lost. */
const VIDEO_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_LATER = 8;

/** The promise, marked as handled: its rejection is read later (allSettled), not reported as unhandled now. */
const settled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => {});
  return promise;
};
const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
const bytesOf = async (photo: PhotoSource) =>
  photo instanceof Blob ? await photo.arrayBuffer() : (photo as Uint8Array<ArrayBuffer> | ArrayBuffer);

interface Item {
  readonly name: string;
  readonly key: string;
  readonly load: () => Promise<PhotoSource>;
}

function checkOptions(options: AnimateManyOptions, photos: readonly BatchPhoto[]): void {
  const issues: { path: string; message: string }[] = [];
  const whole = (name: "concurrentJobs" | "saveConcurrency") => {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      issues.push({ path: name, message: `${name} must be a whole number, 1 or more, not ${String(value)}` });
  };
  whole("concurrentJobs");
  whole("saveConcurrency");
  if (typeof options.journal?.append !== "function")
    issues.push({ path: "journal", message: "journal is needed: where the batch records each step" });
  if (typeof options.save !== "function") issues.push({ path: "save", message: "save is needed: where finished videos go" });
  photos.forEach(({ name }, at) => {
    if (typeof name !== "string" || !name) issues.push({ path: `photos.${at}.name`, message: `photo ${at} needs a name` });
  });
  const names = new Set(photos.map(({ name }) => name));
  for (const [name, JobId] of Object.entries(options.adopt ?? {})) {
    if (!names.has(name)) issues.push({ path: `adopt.${name}`, message: `adopt names ${name}, which is not a photo of this batch` });
    if (!/^\d+$/.test(JobId)) issues.push({ path: `adopt.${name}`, message: `adopt.${name} must be a JobId (digits), not "${JobId}"` });
  }
  if (issues.length) throw new VclmValidationError("animateMany", issues);
}

/**
 * Animates many photos: submits each photo once, as fast as the account allows (up to its
 * concurrent-job limit, learnt from JobNumExceed, and under one request rate), waits for every job
 * with one `JobTracker` (from @vclm/poller), saves each video as it finishes, and reports each photo's
 * {@link Outcome}. Each step is in the journal before the next is taken, so a batch stopped at any
 * moment (a crash, a kill, an abort) is resumed by running it again with the same journal: a photo
 * with a JobId is never submitted again, its job is waited for and its video saved.
 *
 * @example
 * ```ts
 * const photos = [{ name: "alice.jpg", photo: alice }, { name: "bob.jpg", photo: bob }];
 * const report = await animateMany(client, photos, {
 *   journal: memoryJournal(), // on Node or Deno: fileJournal("out/journal.jsonl") from @vclm/batch/node
 *   save: async ({ url, JobId }) => {
 *     const { body } = await openVideo(url);
 *     return { location: JobId, bytes: (await new Response(body).arrayBuffer()).byteLength };
 *   },
 * });
 * console.log(report.counts); // { saved: 2, failed: 0, ... }
 * ```
 */
export async function animateMany(client: VclmClient, photos: readonly BatchPhoto[], options: AnimateManyOptions): Promise<BatchReport> {
  checkOptions(options, photos);
  const { journal, save, TemplateId = "ke3", requestsPerSecond = 20, signal, random = Math.random } = options;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? realSleep;
  const jobsOf = new Map<string, { name: string; key: string }>();
  const tracker = new JobTracker(client, {
    requestsPerSecond,
    now,
    sleep: wait,
    random,
    ...(options.maxWait !== undefined && { maxWait: options.maxWait }),
    onProgress: ({ JobId, Status }) => {
      const item = jobsOf.get(JobId);
      if (item && (Status === "WAIT" || Status === "RUN")) move(item, Status === "WAIT" ? "waiting" : "running", { JobId });
    },
  });

  // Each distinct photo once (the same bytes twice are one photo), keyed by template and content.
  const items = new Map<string, Item>();
  const keys: string[] = [];
  for (const { name, photo } of photos) {
    const bytes = await bytesOf(typeof photo === "function" ? await photo() : photo);
    const key = `${TemplateId}:${hex(await crypto.subtle.digest("SHA-256", bytes))}`;
    keys.push(key);
    if (!items.has(key)) items.set(key, { name, key, load: typeof photo === "function" ? photo : async () => photo });
  }

  const states = replay(await journal.read());
  const phase = new Map<string, keyof BatchCounts>();
  const counts: BatchCounts = {
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
  };
  const move = (item: { name: string; key: string }, to: keyof BatchCounts, extra: Partial<BatchEvent> = {}) => {
    const from = phase.get(item.key);
    if (from === to) return;
    if (from) counts[from]--;
    counts[to]++;
    phase.set(item.key, to);
    if (to !== "pending") options.onEvent?.({ type: to, name: item.name, ...extra, counts: { ...counts } });
  };
  const outcomes = new Map<string, PhotoOutcome>();
  const end = (item: Item, outcome: Omit<PhotoOutcome, "name" | "key">) => {
    outcomes.set(item.key, { name: item.name, key: item.key, ...outcome });
    const { JobId, location, bytes, message } = outcome;
    move(item, outcome.outcome, { JobId, location, bytes, message });
  };

  const limit = new JobLimit({ max: options.concurrentJobs, now: now() });
  const jobs = new Slots(limit.value);
  const downloads = new Slots(options.saveConcurrency ?? 4);
  const pace = pacer(requestsPerSecond, now, wait);
  let submitted = 0;
  /** A job ended: its slot is free, and the limit may try one more. */
  const jobEnded = () => {
    limit.ended(now());
    jobs.limit = limit.value;
    jobs.release();
  };
  const pause = (attempt: number) => wait(Math.min(60_000, 1_000 * 2 ** (attempt - 1)) * (0.5 + random() / 2), signal);

  /** Waits for a job and saves its video. The job holds one of the account's slots until it ends. */
  async function finish(item: Item, JobId: string, submittedAt: number): Promise<void> {
    jobsOf.set(JobId, item);
    const tooOld = () => now() - submittedAt > VIDEO_TTL_MS;
    const lost = (why: string) =>
      end(item, {
        outcome: "lost",
        JobId,
        message: `job ${JobId} was submitted more than 24 hours ago and its video was never saved (${why}); the service keeps a video for 24 hours`,
      });
    move(item, "waiting", { JobId });
    let url: string;
    try {
      url = (await tracker.track(JobId, { startedAt: submittedAt, signal })).ResultVideoUrl;
    } catch (error) {
      jobEnded();
      if (signal?.aborted) throw error;
      if (isVclmError(error, JobFailedError)) {
        await journal.append({ type: "failed", key: item.key, JobId, code: error.code, message: error.serviceMessage });
        return end(item, { outcome: "failed", JobId, code: error.code, message: error.serviceMessage });
      }
      if (tooOld()) return lost((error as Error).message);
      return end(item, { outcome: "error", JobId, message: `${(error as Error).message}; run the batch again to pick job ${JobId} up` });
    }
    jobEnded();
    move(item, "saving", { JobId });
    await downloads.acquire(signal);
    let saved: { location: string; bytes: number };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          saved = await save({ key: item.key, name: item.name, JobId, url, signal });
          break;
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (signal?.aborted || attempt === 3 || (status !== undefined && status >= 400 && status < 500 && status !== 429)) throw error;
          await pause(attempt);
        }
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      if (tooOld()) return lost((error as Error).message);
      return end(item, {
        outcome: "error",
        JobId,
        message: `${(error as Error).message}; run the batch again to save job ${JobId}'s video`,
      });
    } finally {
      downloads.release();
    }
    await journal.append({ type: "saved", key: item.key, JobId, ...saved });
    end(item, { outcome: "saved", JobId, ...saved });
  }

  const finishing: Promise<void>[] = [];
  const toSubmit: Item[] = [];
  const adopt = new Map(Object.entries(options.adopt ?? {}));
  const resubmit = (item: Item) =>
    options.resubmitUnsure === true || (Array.isArray(options.resubmitUnsure) && options.resubmitUnsure.includes(item.name));
  for (const item of items.values()) {
    let state: PhotoState = states.get(item.key) ?? { phase: "new" };
    const adopted = adopt.get(item.name);
    if (adopted && (state.phase === "unsure" || state.phase === "new")) {
      const at = now(); // when it was really submitted is not known: its 24 hours are counted from now
      await journal.append({ type: "submitted", key: item.key, JobId: adopted, at });
      state = { phase: "submitted", JobId: adopted, submittedAt: at };
    }
    if (state.phase === "saved") end(item, { outcome: "saved", JobId: state.JobId, location: state.location, bytes: state.bytes });
    else if (state.phase === "failed") end(item, { outcome: "failed", JobId: state.JobId, code: state.code, message: state.message });
    else if (state.phase === "unsure" && !resubmit(item))
      end(item, {
        outcome: "maybe-submitted",
        message:
          "its Submit was in flight when an earlier run stopped: the job may exist, and be paid for. Check the account's jobs: if it has one, adopt it (vclm: --adopt NAME=JOBID); if not, submit it again with resubmitUnsure (vclm: --resubmit-unsure)",
      });
    else if (state.phase === "submitted") {
      jobs.take(); // an existing job holds an account slot until it ends
      finishing.push(settled(finish(item, state.JobId as string, state.submittedAt as number)));
    } else {
      move(item, "pending");
      toSubmit.push(item);
    }
  }

  // Submissions one at a time, so the count of running jobs is exact when JobNumExceed teaches the limit.
  let stopped: Error | undefined;
  const admit = async () => {
    for (let attempt = 1; toSubmit.length; ) {
      const item = toSubmit[0] as Item;
      if (stopped) {
        end(item, { outcome: "error", message: `not submitted: the batch stopped submitting after ${stopped.message}` });
        toSubmit.shift();
        continue;
      }
      await jobs.acquire(signal);
      await pace(signal);
      let photo: PhotoSource;
      try {
        photo = await item.load();
      } catch (error) {
        jobs.release();
        end(item, { outcome: "refused", message: `the photo could not be read: ${(error as Error).message}` });
        toSubmit.shift();
        continue;
      }
      signal?.throwIfAborted(); // a stopped batch starts no Submit: its intent would be left unsure
      await journal.append({ type: "intent", key: item.key, name: item.name, at: now() });
      let JobId: string;
      try {
        ({ JobId } = await client.send(SubmitImageAnimateJob, { ...options.submit, TemplateId, photo }, { signal }));
      } catch (error) {
        jobs.release();
        const failure = classifySubmitFailure(error);
        const code = isVclmError(error, VclmServiceError) ? error.code : undefined;
        const message = (error as Error).message;
        if (failure === "maybe") {
          if (signal?.aborted) throw error;
          end(item, { outcome: "maybe-submitted", code, message });
          toSubmit.shift();
          attempt = 1;
          continue;
        }
        await journal.append({ type: "not-submitted", key: item.key, reason: code ?? message });
        if (failure === "job-slot") {
          // The account is full: the jobs running now are the limit (at least one, whoever holds them).
          if (limit.refused(jobs.active, now())) {
            jobs.limit = limit.value;
            options.onEvent?.({ type: "limit", limit: limit.value, counts: { ...counts } });
          }
          if (jobs.active === 0) await pause(Math.min(attempt++, 7));
          continue;
        }
        if (failure === "later" && attempt < MAX_LATER) {
          await pause(attempt++);
          continue;
        }
        if (failure === "fatal") stopped = error as Error;
        end(item, { outcome: failure === "refused" ? "refused" : "error", code, message });
        toSubmit.shift();
        attempt = 1;
        continue;
      }
      const at = now();
      await journal.append({ type: "submitted", key: item.key, JobId, at });
      submitted++;
      move(item, "waiting", { JobId, type: "submitted" });
      toSubmit.shift();
      attempt = 1;
      finishing.push(settled(finish(item, JobId, at)));
    }
  };

  const results = await Promise.allSettled([admit(), ...finishing]);
  // Jobs submitted by admit() were pushed after allSettled took its list: wait for those too.
  const all = await Promise.allSettled(finishing);
  const failure = [...results, ...all].find((result) => result.status === "rejected");
  if (failure) throw (failure as PromiseRejectedResult).reason;
  const finalCounts: Record<Outcome, number> = { saved: 0, failed: 0, "maybe-submitted": 0, lost: 0, refused: 0, error: 0 };
  const report = keys.map((key, at) => {
    const outcome = outcomes.get(key) as PhotoOutcome;
    finalCounts[outcome.outcome]++;
    return { ...outcome, name: (photos[at] as BatchPhoto).name };
  });
  return { photos: report, counts: finalCounts, submitted, concurrentJobs: limit.learnt };
}
