import { readFile } from "node:fs/promises";
import { type DownloadOptions, downloadVideo } from "@vclm/batch/node";
import { VclmValidationError } from "@vclm/core";
import { animateWith, resume as resumeVideo } from "../animate/animate.js";
import { checkOptions } from "../animate/check-options.js";
import type { AnimateOptions } from "../animate/options.js";
import { type Photo, photoFields } from "../animate/photo-input.js";
import type { Video } from "../animate/video.js";
import { VideoFileError } from "./video-file-error.js";

/**
 * A finished video that can also be saved to a file (Node, Deno, Bun).
 *
 * @example
 * ```ts
 * import { animate, type SavableVideo } from "vclm/node";
 *
 * const video: SavableVideo = await animate("dancer.jpg");
 * const { path, bytes } = await video.save("dancer-ke3.mp4");
 * ```
 */
export interface SavableVideo extends Video {
  /**
   * Saves the video to `path`, whole or not at all: the bytes go to a `.part` file that takes the
   * name only when complete, and a cut connection goes on where it stopped. An existing file is
   * never written over unless `replace: true`: a {@link VideoFileError} says why a path could not
   * be written (`code` `EEXIST`, `ENOENT`, `ENOSPC`...). Two saves to one path at once: one writes
   * it, the other is refused with `EEXIST`. A save stopped (`signal`, a full disk) leaves the target
   * as it was; the `.part` beside it lets the next save go on. `files`: the file operations
   * (`@vclm/batch/node`'s `Files`), `node:fs/promises` by default.
   */
  save(path: string, options?: Pick<DownloadOptions, "replace" | "signal" | "files">): Promise<{ path: string; bytes: number }>;
}

/**
 * {@link animate} for Node, Deno and Bun: the photo may also be a file's path, and the video can be
 * saved to a file.
 *
 * @example
 * ```ts run
 * import { animate } from "vclm/node";
 *
 * const video = await animate("dancer.jpg", { template: "ke3", onProgress: (job) => console.log(job.Status) });
 * const { path } = await video.save("dancer-ke3.mp4", { replace: true });
 * console.log(`saved ${path}, job ${video.jobId}`);
 * ```
 */
export async function animate(photo: Photo, options?: AnimateOptions): Promise<SavableVideo> {
  const checked = checkOptions(options);
  const isUrl = photo instanceof URL || (typeof photo === "string" && /^https?:\/\//i.test(photo));
  const fields = typeof photo === "string" && !isUrl ? { photo: await readPhotoFile(photo) } : photoFields(photo);
  return savable(await animateWith(fields, checked), checked.fetch);
}

/**
 * {@link resume} for Node, Deno and Bun: the video it resolves to can be saved to a file.
 *
 * @example
 * ```ts
 * import { resume } from "vclm/node";
 *
 * const JobId = process.argv[2] ?? ""; // a job submitted earlier
 * await (await resume(JobId)).save(`${JobId}.mp4`);
 * ```
 */
export async function resume(jobId: string, options?: AnimateOptions): Promise<SavableVideo> {
  return savable(await resumeVideo(jobId, options), options?.fetch);
}

/** The video, with `save`. */
function savable(video: Video, fetcher: typeof fetch | undefined): SavableVideo {
  return {
    ...video,
    save: async (path, { replace = false, signal, files } = {}) => {
      const saving = downloadVideo(video.url, path, { replace, signal, ...(files && { files }), ...(fetcher && { fetch: fetcher }) });
      const { path: saved, bytes } = await saving.catch((error: NodeJS.ErrnoException) => {
        // A file system refusal (EEXIST, ENOENT, ENOSPC...) says so, with the JobId; anything else as it is.
        throw typeof error?.code === "string" && /^E[A-Z]+$/.test(error.code)
          ? new VideoFileError(path, video.jobId, video.expiresAt, error)
          : error;
      });
      return { path: saved, bytes };
    },
  };
}

/** A photo file's bytes, or a typed error naming the path and what is wrong with it. */
async function readPhotoFile(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder" : message;
    throw new VclmValidationError("animate", [{ path: "photo", message: `cannot read the photo ${path}: ${why}` }]);
  }
}
