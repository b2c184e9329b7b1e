import { join } from "node:path";
import { type Files, nodeFiles, removeFile, syncDirectory, syncFolders } from "./files.js";
import { describeFsError } from "./fs-errors.js";
import { downloadToPart, sha256OfFile, VideoSaveError } from "./part-download.js";
import type { SavedVideo, VideoToSave } from "./types.js";
import { NAME_LIMITS, videoFileName } from "./video-names.js";

/**
 * How {@link saveToDirectory} saves.
 *
 * @example
 * ```ts
 * const options: SaveToDirectoryOptions = { attempts: 6 };
 * ```
 */
export interface SaveToDirectoryOptions {
  /** Connections tried per video, each going on from the bytes already saved. @default 4 */
  readonly attempts?: number;
  /** How long a download may go without a byte before its connection is cut (and tried again). @default 60_000 */
  readonly idleTimeout?: number;
  readonly fetch?: typeof fetch;
  /** The file operations to use. @default node:fs/promises */
  readonly files?: Files;
}

/**
 * A folder of videos for `animateMany`: its `save` and its `checkSaved`.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const videos: VideoDirectory = await saveToDirectory("out");
 * await animateMany(client, photos, { journal: await memoryJournal(), ...videos });
 * ```
 */
export interface VideoDirectory {
  /** Downloads a finished job's video into the folder, under a name no other file has. */
  save(video: VideoToSave): Promise<SavedVideo>;
  /** Resolves to `undefined` if the file still holds the video saved there, or to why not. */
  checkSaved(video: SavedVideo): Promise<string | undefined>;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/** Gives `part` the name `target` only if no file has it; resolves to false if one does. */
async function claimName(files: Files, part: string, target: string): Promise<boolean> {
  try {
    await files.link(part, target);
    await removeFile(files, part);
    return true;
  } catch (error) {
    if (code(error) === "EEXIST") return false;
    if (!NO_LINKS.has(code(error) ?? "")) throw error;
  }
  // No hard links here (some network and FAT file systems): take the name with an exclusive create,
  // then move the video onto the empty file this process just made.
  try {
    await (await files.open(target, "wx", 0o644)).close();
  } catch (error) {
    if (code(error) === "EEXIST") return false;
    throw error;
  }
  await files.rename(part, target);
  return true;
}

/**
 * Videos into a folder, on Node and Deno: each as `NAME-TEMPLATE.mp4` (the photo's name without its
 * extension, folders flattened with `_`), or `NAME-TEMPLATE-2.mp4`... when a file of that name
 * holds anything else: a file is never written over, whoever made it, in this run or any other.
 * Each download is checked, resumed only when the server shows it is the same video, and gets its
 * name only when whole; a name too long for the file system is shortened (with a digest of the
 * whole, so names stay apart). The folder is made and checked to take a file before anything is
 * submitted. `checkSaved` tells whether a file still holds the video saved there (its size and
 * SHA-256).
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { fileJournal, saveToDirectory } from "@vclm/batch/node";
 *
 * const client = new VclmClient({ region: "ap-singapore" });
 * const photos = ["alice.jpg", "bob.jpg"].map((name) => ({ name, photo: () => readFile(name) }));
 * const journal = await fileJournal("out/.vclm-journal.jsonl");
 * await animateMany(client, photos, { journal, ...(await saveToDirectory("out")) });
 * ```
 */
export async function saveToDirectory(directory: string, options: SaveToDirectoryOptions = {}): Promise<VideoDirectory> {
  const files = options.files ?? nodeFiles;
  await files.mkdir(directory, { recursive: true }).catch((error) => {
    throw new VideoSaveError(directory, error);
  });
  // Before paying for a video: can a file be written here at all (permissions, a read-only or full disk)?
  const probe = join(directory, `.vclm-probe-${process.pid}`);
  try {
    await files.writeFile(probe, "vclm");
  } catch (error) {
    throw new VideoSaveError(directory, error);
  } finally {
    await removeFile(files, probe).catch(() => {});
  }
  await syncFolders(files, directory); // a folder made here must outlive a crash, with the videos saved in it

  // Parts earlier runs left, to resume, listed once: a first try looks only in this list, and a
  // later try of the same video (after a failure) lists the folder again.
  const parts = (await files.readdir(directory)).filter((name) => name.startsWith(".vclm-") && name.endsWith(".part"));
  const tried = new Set<string>();

  /** The name it has now: a new one, or the one an earlier run gave it before it stopped. */
  async function place(part: string, video: VideoToSave, bytes: number, sha256: string): Promise<string> {
    for (const limit of NAME_LIMITS)
      for (let n = 1; n <= 10_000; n++) {
        const target = join(directory, videoFileName(video.name, video.TemplateId, n, limit));
        let claimed: boolean;
        try {
          claimed = await claimName(files, part, target);
        } catch (error) {
          if (code(error) === "ENAMETOOLONG") break; // this file system takes shorter names: try the next limit
          throw new VideoSaveError(target, error);
        }
        if (claimed) return target;
        if ((await check({ location: target, bytes, sha256 })) === undefined) {
          await removeFile(files, part);
          return target;
        }
      }
    throw new VideoSaveError(
      join(directory, videoFileName(video.name, video.TemplateId, 1)),
      Object.assign(new Error("10,000 files of this name and its numbered forms hold other videos: no name is free"), { code: "EEXIST" }),
    );
  }

  async function check({ location, bytes, sha256 }: SavedVideo): Promise<string | undefined> {
    const size = await files.stat(location).then(
      (info) => info.size,
      (error) => error as Error,
    );
    if (size instanceof Error) return `${location} cannot be read: ${describeFsError(size)}`;
    if (size !== bytes) return `${location} has changed since it was saved: ${size} bytes, not ${bytes}`;
    const actual = sha256 && (await sha256OfFile(files, location).catch((error: unknown) => error as Error));
    if (actual instanceof Error) return `${location} cannot be read: ${describeFsError(actual)}`;
    if (sha256 && actual !== sha256) return `${location} has changed since it was saved (other bytes)`;
    return undefined;
  }

  return {
    async save(video) {
      // Named for its job, so a later run resumes it whatever name the video ends up with.
      const id = video.JobId;
      const existing = tried.has(id) ? undefined : parts.filter((name) => name.startsWith(`.vclm-${id}.`));
      tried.add(id);
      const { part, bytes, sha256 } = await downloadToPart(video.url, {
        files,
        directory,
        id,
        existing,
        attempts: options.attempts,
        idleTimeout: options.idleTimeout,
        fetch: options.fetch,
        signal: video.signal,
      });
      const location = await place(part, video, bytes, sha256);
      await syncDirectory(files, directory);
      return { location, bytes, sha256 };
    },
    checkSaved: check,
  };
}
