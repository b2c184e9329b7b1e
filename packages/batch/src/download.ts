import { createHash } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { type Files, nodeFiles, removeFile, syncDirectory } from "./files.js";
import { lockPath } from "./lock.js";
import { downloadToPart, VideoSaveError } from "./part-download.js";

/**
 * How {@link downloadVideo} saves.
 *
 * @example
 * ```ts
 * const options: DownloadOptions = { replace: true, attempts: 5 };
 * ```
 */
export interface DownloadOptions {
  /** Replace the file if it exists. Otherwise an existing file is never written over. @default false */
  readonly replace?: boolean;
  /** Connections tried, each going on from the bytes already saved (with `Range`). @default 4 */
  readonly attempts?: number;
  /** How long a download may go without a byte before its connection is cut (and tried again). @default 60_000 */
  readonly idleTimeout?: number;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal | undefined;
  /** The file operations to use. @default node:fs/promises */
  readonly files?: Files;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

/**
 * Saves a result video to a file, on Node and Deno, and returns its absolute path, exact size and
 * SHA-256. Refuses an answer that is not a video (HTTP error, other content type, fewer bytes than
 * announced) and saves nothing then. The bytes go to a `.part` file beside the target, synced, and
 * take the target's name only when complete; a cut connection goes on from where it stopped with a
 * `Range` request, now or in a later run, but only when the server shows (`If-Range`, `ETag`) that
 * the video is the one the part holds. A full disk is a {@link VideoSaveError}, not a retry.
 *
 * @example
 * ```ts
 * import { DescribeImageAnimateJob, VclmClient } from "@vclm/core";
 * import { downloadVideo } from "@vclm/batch/node";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const { ResultVideoUrl } = await client.send(DescribeImageAnimateJob, { JobId: "7532277463506747392" }); // a DONE job
 * const { path, bytes } = await downloadVideo(ResultVideoUrl, "dance.mp4");
 * ```
 */
export async function downloadVideo(
  url: string,
  out: string,
  options: DownloadOptions = {},
): Promise<{ path: string; bytes: number; sha256: string }> {
  const files = options.files ?? nodeFiles;
  const path = resolve(out);
  const { origin, pathname } = new URL(url);
  // A short name of its own (not the target's plus a suffix), so a long target name still has one.
  const id = createHash("sha256").update(`${path}\n${origin}${pathname}`).digest("hex").slice(0, 12);
  // One writer per part: two saves of this video to this path at once (two requests, two
  // processes) would write, remove and link one .part file between them. The second is refused.
  const unlock = await lockPath(join(dirname(path), `.vclm-save-${id}`), files, {
    busy: (owner) =>
      new VideoSaveError(
        path,
        Object.assign(new Error(`another save of this video to ${path} is under way (${owner})`), { code: "EBUSY" }),
      ),
    fail: (message) => new VideoSaveError(path, new Error(message)),
    remove: true,
  });
  let failed = false;
  try {
    const { part, bytes, sha256 } = await downloadToPart(url, { ...options, files, directory: dirname(path), id });
    try {
      // link() fails if the target exists (never over a file, even racing another writer); rename() replaces.
      if (options.replace) {
        await files.rename(part, path);
        await removeFile(files, part); // already the target's file (a run stopped between link and unlink): rename did nothing
      } else
        try {
          await files.link(part, path);
        } finally {
          await removeFile(files, part);
        }
    } catch (error) {
      if (code(error) === "EEXIST") throw error;
      throw new VideoSaveError(path, error);
    }
    await syncDirectory(files, dirname(path));
    return { path, bytes, sha256 };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A release that fails must not hide why the save failed (the lock is taken over once this process is gone).
    await unlock().catch((error) => {
      if (!failed) throw new VideoSaveError(path, error);
    });
  }
}
