import { isVclmError } from "@vclm/core";
import { JobFailedError } from "@vclm/poller";
import { isLocalFault, messageOf } from "./fs-errors.js";
import type { Item } from "./plan.js";
import { recordLast } from "./record.js";
import { backoff, holdSlot, jobEnded, type Run, stopSubmitting } from "./run.js";
import type { PhotoOutcome, SavedVideo } from "./types.js";

/** A video URL is served this long; a job older than this without a saved video is lost. */
const VIDEO_TTL_MS = 24 * 60 * 60 * 1000;
/** Tries of one video's save (each is itself several connections, resumed). */
const SAVE_TRIES = 3;

/** A job to wait for and save: its JobId, and when it was submitted (or adopted). */
export interface Job {
  readonly JobId: string;
  readonly submittedAt: number;
  /** Named by the user (`adopt`): when it was really submitted is not known. */
  readonly adopted?: boolean | undefined;
  /** Why it is being saved again (the file an earlier run saved no longer holds it). */
  readonly again?: string | undefined;
}

/** Its outcome, with what the reader must know when the journal could not record it. */
function withRecord(run: Run, item: Item, JobId: string, outcome: Omit<PhotoOutcome, "name" | "key">, problem: string | undefined) {
  if (!problem) return outcome;
  const lost = run.unrecorded.has(item.key);
  const note = lost
    ? `the journal could not record job ${JobId} (${problem}): a rerun sees this photo as maybe submitted; give it --adopt ${item.name}=${JobId} (adopt: { "${item.name}": "${JobId}" })`
    : `the journal could not record this (${problem}): a rerun looks again`;
  return { ...outcome, message: outcome.message ? `${outcome.message}; ${note}` : note, ...(lost && { unrecorded: true as const }) };
}

/**
 * Waits for a job and saves its video. The job holds one of the account's slots until it ends.
 * Every way it can end is an outcome with its JobId; only a bug rejects.
 */
export async function finish(run: Run, item: Item, job: Job): Promise<void> {
  const { JobId } = job;
  const signal = run.options.signal;
  const end = (outcome: Omit<PhotoOutcome, "name" | "key">) => run.board.end(item, { JobId, ...outcome });
  const interrupted = (while_: string) =>
    end({
      outcome: "error",
      // A JobId the journal could not record is said so by the report's note on it (see animateMany).
      message: run.unrecorded.has(item.key)
        ? `stopped while ${while_}: job ${JobId} is paid for`
        : `stopped while ${while_}: job ${JobId} is paid for, and the journal has it; run the batch again to save its video`,
    });
  const tooOld = () => run.now() - job.submittedAt > VIDEO_TTL_MS;
  const lost = (why: string) =>
    end({
      outcome: "lost",
      message: `job ${JobId}'s video can no longer be had (${why}): the service keeps a video for 24 hours${
        job.adopted ? " (this job was adopted: when it was submitted is not known)" : ""
      }${job.again ? `; ${job.again}` : ""}`,
    });

  run.following.set(JobId, item);
  run.board.move(item, "waiting", { JobId });
  const track = () => run.tracker.track(JobId, { startedAt: job.submittedAt, signal, parent: run.board.span(item) });
  let url: string;
  try {
    url = (await track()).ResultVideoUrl;
  } catch (error) {
    if (signal?.aborted) {
      jobEnded(run, item.key);
      return interrupted("waiting for it");
    }
    if (isVclmError(error, JobFailedError)) {
      jobEnded(run, item.key);
      const problem = await recordLast(run, { type: "failed", key: item.key, JobId, code: error.code, message: error.serviceMessage });
      return end(withRecord(run, item, JobId, { outcome: "failed", code: error.code, message: error.serviceMessage }, problem));
    }
    // Given up (maxWait, an error), not ended: the job may still run, so it keeps its slot a while.
    holdSlot(run, item.key);
    if (tooOld()) return lost(messageOf(error));
    return end({ outcome: "error", message: `${messageOf(error)}; run the batch again to pick job ${JobId} up` });
  }
  jobEnded(run, item.key);
  run.board.move(item, "saving", { JobId });

  let saved: SavedVideo | undefined;
  try {
    await run.downloads.acquire();
  } catch {
    return interrupted("waiting to save its video");
  }
  try {
    let fresh = false;
    for (let attempt = 1; !saved; attempt++) {
      try {
        saved = await run.options.save({ key: item.key, name: item.name, TemplateId: run.TemplateId, JobId, url, signal });
      } catch (error) {
        if (signal?.aborted) return interrupted("saving its video (what was downloaded is kept)");
        const message = messageOf(error);
        if (isLocalFault(error)) {
          stopSubmitting(run, `videos cannot be saved: ${message}`);
          return end({ outcome: "error", message: `its video could not be saved: ${message}; once that is fixed, run the batch again` });
        }
        const status = (error as { status?: number }).status;
        if (status === 403 || status === 404 || status === 410) {
          // The link may have expired while the job waited to be saved: a fresh one, once.
          if (!fresh) {
            fresh = true;
            const answer = await track().catch((reason: unknown) => reason as Error);
            if (signal?.aborted) return interrupted("asking for a fresh link to its video");
            if (!(answer instanceof Error)) {
              url = answer.ResultVideoUrl;
              continue;
            }
          }
          if (tooOld() || job.adopted) return lost(message);
        }
        const refused = status !== undefined && status >= 400 && status < 500 && status !== 429;
        if (refused || attempt === SAVE_TRIES) {
          if (tooOld()) return lost(message);
          return end({ outcome: "error", message: `${message}; run the batch again to save job ${JobId}'s video` });
        }
        if (
          await run.wait(backoff(run, attempt), signal).then(
            () => false,
            () => true,
          )
        )
          return interrupted("saving its video (what was downloaded is kept)");
      }
    }
  } finally {
    run.downloads.release();
  }
  const { location, bytes, sha256 } = saved as SavedVideo;
  const problem = await recordLast(run, { type: "saved", key: item.key, JobId, location, bytes, ...(sha256 && { sha256 }) });
  const again = job.again && { message: `saved again: ${job.again}` };
  end(withRecord(run, item, JobId, { outcome: "saved", location, bytes, ...(sha256 && { sha256 }), ...again }, problem));
}
