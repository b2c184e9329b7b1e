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

/** Validators longer than this (in UTF-8 bytes) are not put in a name (it would not fit in 255 bytes): such a video is not resumed. */
const LONGEST_VALIDATOR = 150;

/**
 * A part is synced, and renamed to say so, after each this many bytes of a connection: a process
 * killed mid-download (SIGKILL, a closed terminal, the OOM killer) leaves at most this much to
 * fetch again. An fsync of 1 MiB costs a few ms; a VCLM video is a few MB.
 */
const CHECKPOINT_BYTES = 1 << 20;

const plainPart = (id: string) => `.vclm-${id}.part`;

function partOf(id: string, total: number | undefined, synced: number, validator: string | undefined): Part | undefined {
  if (!validator || Buffer.byteLength(validator) > LONGEST_VALIDATOR) return undefined;
  // SYNCED as wide as TOTAL from the start: a part's name never grows past what its first open took.
  const digits = String(synced).padStart(total === undefined ? 12 : String(total).length, "0");
  const name = `.vclm-${id}.${total ?? "x"}.${digits}.${Buffer.from(validator).toString("base64url")}.part`;
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
 * The part is synced, and renamed to say so, every 1 MiB and whenever a connection ends (whole,
 * cut, or refused by the disk). The whole is checked against the size the server announced.
 * Resolves to the part's path, its size and its SHA-256.
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
      if (isVclmError(error, VideoDownloadError) && error.status === 416 && offset > 0) {
        if (attempt < attempts) {
          [kept, offset] = [undefined, 0];
          continue;
        }
        // The next run starts from byte 0, not from the same 416; a part that cannot be removed is left to it.
        if (onDisk) await removeFile(files, join(directory, current)).catch(() => {});
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
    for (;;)
      try {
        file = await files.open(join(directory, current), offset ? "r+" : "w", 0o644);
        break;
      } catch (error) {
        // A name this file system cannot take (eCryptfs: 143 bytes): a part that is not resumed.
        if (kept && offset === 0 && fsCode(error) === "ENAMETOOLONG") {
          [kept, current] = [undefined, plainPart(id)];
          continue;
        }
        await video.cancel();
        throw local(error);
      }
    onDisk = true;
    /** A sync that failed is never tried again: after a failed fsync, a second one can succeed with the data lost. */
    let syncFailed = false;
    /** The bytes the last sync covered. */
    let syncedTo = -1;
    /** Syncs the part, and names it for the bytes now on the disk: a later run trusts that much, and no more. */
    const checkpoint = async () => {
      try {
        if (syncedTo !== offset) await file.sync();
        syncedTo = offset;
      } catch (error) {
        syncFailed = true;
        throw error;
      }
      if (!kept || kept.synced === offset) return;
      const synced = partOf(id, kept.total, offset, kept.validator) as Part;
      await files.rename(join(directory, current), join(directory, synced.name));
      [kept, current] = [synced, synced.name];
    };
    let cut: unknown;
    /** A write, sync or rename the disk refused (full, read-only...): what was synced before it is still kept. */
    let refused: { error: unknown } | undefined;
    try {
      for await (const chunk of video.chunks) {
        try {
          await writeAll(file, chunk, offset);
          hash?.update(chunk);
          offset += chunk.byteLength;
          if (kept && offset - kept.synced >= CHECKPOINT_BYTES) await checkpoint();
        } catch (error) {
          refused = { error };
          await video.cancel().catch(() => {});
          break;
        }
      }
    } catch (error) {
      cut = error;
    }
    // Whatever ended the connection, what was written is synced and named (unless a sync failed).
    const keep = (error: unknown) => {
      refused ??= { error };
    };
    if (!syncFailed) await checkpoint().catch(keep);
    await file.close().catch(keep);
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
