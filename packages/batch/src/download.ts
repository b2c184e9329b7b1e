import { link, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { openVideo, VideoDownloadError } from "./video.js";

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
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal | undefined;
}

/** `.NAME.HASH.part` beside the target: the same video resumes into it, another video never does. */
async function partPath(path: string, url: string): Promise<string> {
  const { origin, pathname } = new URL(url); // not the query: a fresh link to the same video resumes too
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(origin + pathname)));
  const tag = Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(dirname(path), `.${basename(path)}.${tag}.part`);
}

/**
 * Saves a result video to a file, on Node and Deno, and returns its absolute path and exact size.
 * Refuses an answer that is not a video (HTTP error, other content type, fewer bytes than
 * announced) and saves nothing then. The bytes go to a `.part` file beside the target, synced, and
 * take the target's name only when complete; a cut connection goes on from where it stopped with a
 * `Range` request, now or in a later run (the `.part` file is kept for that).
 *
 * @example
 * ```ts
 * import { downloadVideo } from "@vclm/batch/node";
 *
 * const { path, bytes } = await downloadVideo(ResultVideoUrl, "dance.mp4");
 * ```
 */
export async function downloadVideo(url: string, out: string, options: DownloadOptions = {}): Promise<{ path: string; bytes: number }> {
  const { attempts = 4, signal } = options;
  const path = resolve(out);
  const part = await partPath(path, url);
  let offset = (await stat(part).catch(() => undefined))?.size ?? 0;
  for (let attempt = 1; ; attempt++) {
    let video: Awaited<ReturnType<typeof openVideo>>;
    try {
      video = await openVideo(url, { from: offset, signal, ...(options.fetch && { fetch: options.fetch }) });
    } catch (error) {
      // 416: what was kept is not a prefix of this video (or all of it); start again.
      if (error instanceof VideoDownloadError && error.status === 416 && offset > 0 && attempt < attempts) {
        offset = 0;
        continue;
      }
      throw error;
    }
    if (video.start !== offset) offset = 0; // the server sent the whole video
    const file = await open(part, offset ? "r+" : "w", 0o644);
    let cut: unknown;
    try {
      for await (const chunk of video.body as unknown as AsyncIterable<Uint8Array>) {
        await file.write(chunk, 0, chunk.byteLength, offset);
        offset += chunk.byteLength;
      }
    } catch (error) {
      cut = error;
    } finally {
      await file.sync();
      await file.close();
    }
    const short = video.total !== undefined && offset < video.total;
    if (cut || short) {
      if (attempt < attempts && !signal?.aborted) continue;
      throw cut && !short
        ? cut
        : new VideoDownloadError(
            `the video download was cut short: ${offset} of ${video.total} bytes from ${new URL(url).host} (kept in ${part}; trying again goes on from there)`,
          );
    }
    if (video.total !== undefined && offset > video.total) {
      await rm(part, { force: true });
      throw new VideoDownloadError(`the video download was longer than announced (${offset} of ${video.total} bytes); nothing was saved`);
    }
    break;
  }
  // link() fails if the target exists (never over a file, even racing another writer); rename() replaces.
  if (options.replace) await rename(part, path);
  else
    try {
      await link(part, path);
    } finally {
      await rm(part, { force: true });
    }
  const directory = await open(dirname(path), "r").catch(() => undefined);
  await directory?.sync().catch(() => {});
  await directory?.close();
  return { path, bytes: offset };
}

/**
 * A `save` for `animateMany` that writes each video to `directory` as `NAME.mp4` (the photo's
 * name without its extension, folders flattened with `_`), with {@link downloadVideo}: checked,
 * resumed with `Range` when cut, replacing a file of the same name (the directory is the batch's).
 *
 * @example
 * ```ts
 * import { fileJournal, saveToDirectory } from "@vclm/batch/node";
 *
 * await animateMany(client, photos, { journal: await fileJournal("out/.vclm-journal.jsonl"), save: saveToDirectory("out") });
 * ```
 */
export function saveToDirectory(directory: string, options: Omit<DownloadOptions, "replace" | "signal"> = {}) {
  return async ({ name, url, signal }: { name: string; url: string; signal?: AbortSignal | undefined }) => {
    const file = `${name.replace(/\.[^./\\]*$/, "").replace(/[/\\:]+/g, "_")}.mp4`;
    const { path, bytes } = await downloadVideo(url, join(directory, file), { ...options, signal, replace: true });
    return { location: path, bytes };
  };
}
