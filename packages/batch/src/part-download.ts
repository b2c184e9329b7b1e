import { createHash } from "node:crypto";
import { join } from "node:path";
import { isVclmError, openVideo, VclmError, type VideoAnswer, VideoDownloadError } from "@vclm/core";
import { notAVideo } from "@vclm/core/internal";
import { type Files, removeFile, writeAll } from "./files.js";
import { describeFsError, fsCode, messageOf } from "./fs-errors.js";
import { getVideo, type VideoBytes, type VideoRequest } from "./node-video.js";

/**
 * A video could not be written to disk: the disk is full, the folder is read-only, a name is too
 * long. `code` is the file system's (ENOSPC, EROFS...). Trying again will not help until that is
 * fixed; what was downloaded so far is kept, and a later run goes on from it.
 *
 * @example
 * ```ts
 * const url = "https://vclm-results.example.com/7532277463506747392.mp4?sign=..."; // a DONE job's ResultVideoUrl
 * const saved = await downloadVideo(url, "dance.mp4").catch((error: unknown) => {
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

/**
 * A part file, named for what it holds the start of: `.vclm-ID.TOTAL.SYNCED.VALIDATOR.part`, where
 * SYNCED is how many of its bytes were on the disk (fsync) when it got that name, and the validator
 * (a strong ETag, or a Last-Modified date: what `If-Range` may carry, RFC 9110 §13.1.5) is in
 * base64url. A part's name is its whole record: resuming one costs no read, and starting one no
 * write, beyond the part itself. Only the synced bytes are trusted: after a power loss some file
 * systems keep a file's new size and not its data (zeros where the video was), so what follows
 * SYNCED is downloaded again. A video whose server names no validator is downloaded to
 * `.vclm-ID.part`, never resumed.
 */
interface Part {
  readonly name: string;
  readonly total: number | undefined;
  readonly synced: number;
  readonly validator: string;
}

/** Validators longer than this are not put in a name (they would not fit): such a video is not resumed. */
const LONGEST_VALIDATOR = 150;

const plainPart = (id: string) => `.vclm-${id}.part`;

function partOf(id: string, total: number | undefined, synced: number, validator: string | undefined): Part | undefined {
  if (!validator || validator.length > LONGEST_VALIDATOR) return undefined;
  const name = `.vclm-${id}.${total ?? "x"}.${synced}.${Buffer.from(validator).toString("base64url")}.part`;
  return { name, total, synced, validator };
}

/** A part of this id, or undefined (another id, a plain part, or one an older version named without SYNCED: not trusted). */
function readPartName(id: string, name: string): Part | undefined {
  const match = /^\.vclm-([^.]+)\.(\d+|x)\.(\d+)\.([\w-]+)\.part$/.exec(name);
  if (match?.[1] !== id) return undefined;
  return {
    name,
    total: match[2] === "x" ? undefined : Number(match[2]),
    synced: Number(match[3]),
    validator: Buffer.from(match[4] as string, "base64url").toString(),
  };
}

/** The validator an answer names: its strong ETag, else its Last-Modified date. */
const validatorOf = (video: VideoAnswer) => (video.etag && !video.etag.startsWith("W/") ? video.etag : video.lastModified);

/** Does this answer name the same version of the video as the part's validator? */
const sameVersion = (part: Part, video: VideoAnswer) =>
  part.validator.startsWith('"') ? video.etag === part.validator : video.lastModified === part.validator;

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

/** A video's bytes: through the `fetch` given, or Node's own HTTP client (cheaper, and the default). */
async function open(url: string, request: VideoRequest & { from: number }, fetchVideo: typeof fetch | undefined): Promise<VideoBytes> {
  if (!fetchVideo) return getVideo(url, request);
  const { body, ...answer } = await openVideo(url, { ...request, fetch: fetchVideo });
  return { ...answer, chunks: body as unknown as AsyncIterable<Uint8Array>, cancel: () => body.cancel() };
}

/** How a download to a `.part` file goes. */
export interface PartDownloadOptions {
  readonly files: Files;
  /** The folder the part goes in. */
  readonly directory: string;
  /** What names the part: the job's JobId, or a digest of the target and the video. */
  readonly id: string;
  /** The names in `directory` of this id's parts, if known (a listing made earlier); otherwise the folder is listed. */
  readonly existing?: readonly string[] | undefined;
  /** Connections tried, each going on from the bytes already saved. @default 4 */
  readonly attempts?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Without `fetch`: how long a connection may go without a byte before it is cut (and tried again). @default 60_000 */
  readonly idleTimeout?: number | undefined;
}

/**
 * Downloads a video into a `.part` file in `directory`, going on from what an earlier attempt or
 * run left there (the bytes the part's name says were synced) only when the server proves it is
 * the same video: the part's validator is sent as `If-Range`, and a 206 must carry the same
 * validator and total. Anything else starts again from byte 0 (and removes the parts it replaces).
 * The part is synced, and renamed to say so, whenever a connection ends (whole, cut, or refused by
 * the disk). The whole is checked against the size the server announced. Resolves to the part's
 * path, its size and its SHA-256.
 */
export async function downloadToPart(url: string, options: PartDownloadOptions): Promise<{ part: string; bytes: number; sha256: string }> {
  const { files, directory, id, attempts = 4, signal } = options;
  const names = options.existing ?? (await files.readdir(directory)).filter((name) => name.startsWith(`.vclm-${id}.`));
  let kept: Part | undefined;
  let offset = 0;
  for (const name of names) {
    const part = readPartName(id, name);
    if (!part?.synced) continue;
    const size = await files.stat(join(directory, name)).then(
      (info) => info.size,
      () => -1,
    );
    // Shorter than its name says, or longer than the video: not what this code wrote.
    if (size >= part.synced && (part.total === undefined || size <= part.total)) [kept, offset] = [part, part.synced];
  }
  const leftovers = new Set(names);
  /** The part this call writes to, as it is named now. */
  let current = kept?.name ?? plainPart(id);
  /** Whether `current` exists: a restart from byte 0 makes a new file, and removes this one. */
  let onDisk = kept !== undefined;
  const local = (error: unknown) => new VideoSaveError(join(directory, current), error);
  // Whole already, and synced: the run that downloaded it stopped before naming it (or between
  // naming it and removing the part, when the part and the video are one file): nothing to fetch,
  // nothing to rewrite.
  if (kept && kept.total === offset) {
    const path = join(directory, current);
    return { part: path, bytes: offset, sha256: await sha256OfFile(files, path).catch((error) => Promise.reject(local(error))) };
  }
  for (let attempt = 1; ; attempt++) {
    let video: VideoBytes;
    try {
      video = await open(url, { from: offset, ifRange: kept?.validator, signal, idleTimeout: options.idleTimeout }, options.fetch);
    } catch (error) {
      // 416: what was kept is not a prefix of this video (or all of it); start again.
      if (isVclmError(error, VideoDownloadError) && error.status === 416 && offset > 0 && attempt < attempts) {
        [kept, offset] = [undefined, 0];
        continue;
      }
      throw error;
    }
    // A server that ignores If-Range must still not stitch two versions: same validator, same total.
    const same = kept !== undefined && video.start === offset && video.total === kept.total && sameVersion(kept, video);
    if (offset > 0 && !same) {
      if (video.start !== 0) {
        await video.cancel();
        [kept, offset] = [undefined, 0];
        continue;
      }
      offset = 0; // the server sent the whole video: start again from it
    }
    if (offset === 0) {
      if (video.start !== 0) {
        await video.cancel();
        throw notAVideo(`${new URL(url).host} answered a range from byte ${video.start}, asked for the whole video`, 206);
      }
      // A new file, never the old one truncated: the old one may also be a saved video's name
      // (a run stopped between linking it into place and removing the part).
      if (onDisk) await removeFile(files, join(directory, current)).catch((error) => Promise.reject(local(error)));
      onDisk = false;
      kept = partOf(id, video.total, 0, validatorOf(video));
      current = kept?.name ?? plainPart(id);
      if (names.includes(current)) await removeFile(files, join(directory, current)).catch((error) => Promise.reject(local(error)));
    }
    // What another version, or no version, left: it will never be resumed now.
    leftovers.delete(current);
    for (const name of leftovers) await removeFile(files, join(directory, name));
    leftovers.clear();
    // The usual download, from byte 0, is hashed as it arrives; a resumed one is read back after.
    const hash = offset === 0 ? createHash("sha256") : undefined;
    let file: Awaited<ReturnType<Files["open"]>>;
    try {
      file = await files.open(join(directory, current), offset ? "r+" : "w", 0o644);
    } catch (error) {
      await video.cancel();
      throw local(error);
    }
    onDisk = true;
    let cut: unknown;
    /** A write the disk refused (full, read-only...): what was written before it is still kept. */
    let refused: { error: unknown } | undefined;
    try {
      for await (const chunk of video.chunks) {
        try {
          await writeAll(file, chunk, offset);
        } catch (error) {
          refused = { error };
          await video.cancel().catch(() => {});
          break;
        }
        hash?.update(chunk);
        offset += chunk.byteLength;
      }
    } catch (error) {
      cut = error;
    }
    try {
      await file.sync();
    } catch (error) {
      await file.close().catch(() => {});
      throw local(refused ? refused.error : error);
    }
    await file.close();
    // What is now on the disk, in the part's name: a later run trusts that much, and no more.
    if (kept && kept.synced !== offset) {
      const synced = partOf(id, kept.total, offset, kept.validator) as Part;
      await files
        .rename(join(directory, current), join(directory, synced.name))
        .catch((error) => Promise.reject(local(refused ? refused.error : error)));
      [kept, current] = [synced, synced.name];
    }
    if (refused) throw local(refused.error);
    const path = join(directory, current);
    const short = video.total !== undefined && offset < video.total;
    if (cut || short) {
      if (attempt < attempts && !signal?.aborted) {
        if (!kept) offset = 0; // nothing proves the next answer is the same video
        continue;
      }
      if (!short) throw cut;
      const why = cut ? ` (${messageOf(cut)})` : "";
      throw new VideoDownloadError(
        `the video download was cut short${why}: ${offset} of ${video.total} bytes from ${new URL(url).host} (kept in ${path}; trying again goes on from there)`,
      );
    }
    if (video.total !== undefined && offset > video.total) {
      await removeFile(files, path);
      throw new VideoDownloadError(`the video download was longer than announced (${offset} of ${video.total} bytes); nothing was saved`);
    }
    return { part: path, bytes: offset, sha256: hash ? hash.digest("hex") : await sha256OfFile(files, path) };
  }
}
