import { createHash } from "node:crypto";
import { VclmError } from "@vclm/core";
import { type Files, writeAll } from "./files.js";
import { describeFsError, fsCode } from "./fs-errors.js";
import { type OpenedVideo, openVideo, VideoDownloadError } from "./video.js";

/**
 * A video could not be written to disk: the disk is full, the folder is read-only, a name is too
 * long. `code` is the file system's (ENOSPC, EROFS...). Trying again will not help until that is
 * fixed; what was downloaded so far is kept, and a later run goes on from it.
 *
 * @example
 * ```ts
 * const saved = await downloadVideo(url, "dance.mp4").catch((error) => {
 *   if (error instanceof VideoSaveError && error.code === "ENOSPC") console.error("free some disk space, then run again");
 *   throw error;
 * });
 * ```
 */
export class VideoSaveError extends VclmError {
  /** The file system's error code: ENOSPC, EDQUOT, EROFS, EACCES, ENAMETOOLONG... */
  readonly code: string | undefined;
  /** The file that could not be written. */
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(`could not write ${path}: ${describeFsError(cause)}`, { cause });
    this.code = fsCode(cause);
    this.path = path;
  }
}

/** What is known of the video a `.part` file holds the start of: without a validator, nothing can resume. */
interface PartOf {
  /** The URL's origin and path (not its query: a fresh link to the same video resumes too). */
  readonly source: string;
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly total?: number | undefined;
}

const sourceOf = (url: string) => {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
};

/** A strong ETag, or a Last-Modified date: what `If-Range` may carry (RFC 9110 §13.1.5). */
const validatorOf = (part: PartOf) => (part.etag && !part.etag.startsWith("W/") ? part.etag : part.lastModified);

async function readPartOf(files: Files, path: string, url: string): Promise<{ part: PartOf; size: number } | undefined> {
  try {
    const { size } = await files.stat(path); // most downloads have no part yet: one stat says so
    const part = JSON.parse(await files.readFile(`${path}.json`, "utf8")) as PartOf;
    if (part.source !== sourceOf(url) || !validatorOf(part) || size === 0) return undefined;
    return { part, size };
  } catch {
    return undefined; // no part, or one that cannot be matched to this video: start from byte 0
  }
}

/** The SHA-256 of a file as it is on disk, in hex. */
export async function sha256OfFile(files: Files, path: string): Promise<string> {
  const hash = createHash("sha256");
  const file = await files.open(path, "r");
  try {
    const buffer = new Uint8Array(256 * 1024);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (!bytesRead) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex");
}

/** How a download to a `.part` file goes. */
export interface PartDownloadOptions {
  readonly files: Files;
  /** Connections tried, each going on from the bytes already saved. @default 4 */
  readonly attempts?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Downloads a video into `path` (a `.part` file), going on from what an earlier attempt or run left
 * there only when the server proves it is the same video: the part's `ETag` (or date) is sent as
 * `If-Range`, and a 206 must carry the same `ETag` and total. Anything else starts again from byte 0.
 * The whole is checked against the size the server announced. Resolves to its size and SHA-256.
 */
export async function downloadToPart(url: string, path: string, options: PartDownloadOptions): Promise<{ bytes: number; sha256: string }> {
  const { files, attempts = 4, signal } = options;
  const local = (error: unknown) => new VideoSaveError(path, error);
  let kept = await readPartOf(files, path, url);
  let offset = kept?.size ?? 0;
  for (let attempt = 1; ; attempt++) {
    let video: OpenedVideo;
    try {
      video = await openVideo(url, {
        from: offset,
        ifRange: kept && validatorOf(kept.part),
        signal,
        ...(options.fetch && { fetch: options.fetch }),
      });
    } catch (error) {
      // 416: what was kept is not a prefix of this video (or all of it); start again.
      if (error instanceof VideoDownloadError && error.status === 416 && offset > 0 && attempt < attempts) {
        [kept, offset] = [undefined, 0];
        continue;
      }
      throw error;
    }
    // A server that ignores If-Range must still not stitch two versions: same ETag, same total.
    const sameVideo =
      kept !== undefined &&
      video.start === offset &&
      video.total === kept.part.total &&
      (kept.part.etag ? video.etag === kept.part.etag : video.lastModified === kept.part.lastModified);
    if (offset > 0 && !sameVideo) {
      if (video.start !== 0) {
        await video.body.cancel();
        [kept, offset] = [undefined, 0];
        continue;
      }
      offset = 0; // the server sent the whole video: start again from it
    }
    if (offset === 0) {
      const part: PartOf = { source: sourceOf(url), etag: video.etag, lastModified: video.lastModified, total: video.total };
      kept = { part, size: 0 };
      // Said before the first byte, so a kill or a full disk mid-download leaves a part to resume
      // (without a validator, nothing could resume it).
      if (validatorOf(part))
        await files.writeFile(`${path}.json`, JSON.stringify(part), { mode: 0o644 }).catch(async (error) => {
          await video.body.cancel();
          throw local(error);
        });
    }
    // The usual download, from byte 0, is hashed as it arrives; a resumed one is read back after.
    const hash = offset === 0 ? createHash("sha256") : undefined;
    let file: Awaited<ReturnType<Files["open"]>>;
    try {
      file = await files.open(path, offset ? "r+" : "w", 0o644);
    } catch (error) {
      await video.body.cancel();
      throw local(error);
    }
    let cut: unknown;
    try {
      for await (const chunk of video.body as unknown as AsyncIterable<Uint8Array>) {
        try {
          await writeAll(file, chunk, offset);
        } catch (error) {
          await video.body.cancel().catch(() => {});
          throw local(error);
        }
        hash?.update(chunk);
        offset += chunk.byteLength;
      }
    } catch (error) {
      if (error instanceof VideoSaveError) {
        await file.close().catch(() => {});
        throw error;
      }
      cut = error;
    }
    try {
      await file.sync();
    } catch (error) {
      await file.close().catch(() => {});
      throw local(error);
    }
    await file.close();
    const short = video.total !== undefined && offset < video.total;
    if (cut || short) {
      if (attempt < attempts && !signal?.aborted) {
        if (!kept || !validatorOf(kept.part)) offset = 0; // nothing proves the next answer is the same video
        continue;
      }
      throw cut && !short
        ? cut
        : new VideoDownloadError(
            `the video download was cut short: ${offset} of ${video.total} bytes from ${new URL(url).host} (kept in ${path}; trying again goes on from there)`,
          );
    }
    if (video.total !== undefined && offset > video.total) {
      await files.rm(path, { force: true });
      await files.rm(`${path}.json`, { force: true });
      throw new VideoDownloadError(`the video download was longer than announced (${offset} of ${video.total} bytes); nothing was saved`);
    }
    return { bytes: offset, sha256: hash ? hash.digest("hex") : await sha256OfFile(files, path) };
  }
}
