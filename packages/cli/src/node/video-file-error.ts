import { VclmError } from "@vclm/core";

/**
 * A finished video could not be saved to the path given: the file exists (`code` `EEXIST`), its
 * folder does not (`ENOENT`), another save of the video to it is under way (`EBUSY`), or another
 * file system error (`ENOSPC`...). Nothing was written there. The job is
 * done and paid for, and its link works until `expiresAt`: save again to another path, or with
 * `{ replace: true }`.
 *
 * @example
 * ```ts
 * import { animate, VideoFileError } from "vclm/node";
 *
 * const video = await animate("dancer.jpg");
 * await video.save("dancer-ke3.mp4").catch((error) => {
 *   if (error instanceof VideoFileError && error.code === "EEXIST") return video.save("dancer-ke3-new.mp4");
 *   throw error;
 * });
 * ```
 */
export class VideoFileError extends VclmError {
  /** The file system's code, e.g. `EEXIST`, `ENOENT`, `ENOSPC`. */
  readonly code: string | undefined;
  /** The path that was asked for. */
  readonly path: string;
  /** The job whose video it is. */
  readonly jobId: string;

  constructor(path: string, jobId: string, expiresAt: Date, cause: NodeJS.ErrnoException) {
    const what =
      cause.code === "EEXIST"
        ? `${path} exists: save to another path, or pass { replace: true } to replace it`
        : cause.code === "ENOENT"
          ? `the folder of ${path} does not exist: create it first, or save to another path`
          : cause.code === "EBUSY"
            ? `another save of this video to ${path} is under way: wait for it, or save to another path`
            : cause.message; // the file system's refusal in words, naming the file (a full disk...)
    super(`the video of job ${jobId} was not saved: ${what}. Its link works until ${expiresAt.toISOString()}.`, { cause });
    this.code = cause.code;
    this.path = path;
    this.jobId = jobId;
  }
}
