import { constants } from "node:fs";
import { access, link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../usage.js";

/**
 * Refuses, before anything is submitted or downloaded, to write over a file that exists, unless
 * `force` is given: a typo in --out must not cost a document.
 */
export async function checkOut(out: string, force: boolean): Promise<void> {
  if (force) return;
  const exists = await access(resolve(out), constants.F_OK).then(
    () => true,
    () => false,
  );
  if (exists) throw new UsageError(`${out} exists: pick another --out, or add --force to replace it`);
}

/**
 * Saves a video URL to a file and returns its absolute path and exact size. Refuses (and saves
 * nothing) when the answer is not a video: an HTTP error, another content type, or fewer bytes than
 * announced. The bytes go to a temporary file beside the target, which takes the target's name
 * only when complete: never a half-written video, and never over an existing file unless `force`.
 */
export async function download(url: string, out: string, { force = false } = {}): Promise<{ path: string; bytes: number }> {
  const host = new URL(url).host;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the video could not be downloaded: HTTP ${response.status} from ${host}`);
  const type = response.headers.get("content-type") ?? "";
  if (!/^(video\/|application\/octet-stream\b)/i.test(type)) {
    await response.body?.cancel();
    throw new Error(`the video could not be downloaded: ${host} answered ${type || "no content type"}, not a video; nothing was saved`);
  }
  const path = resolve(out);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
  const file = await open(temporary, "wx", 0o644);
  let bytes = 0;
  try {
    for await (const chunk of response.body ?? []) {
      await file.write(chunk);
      bytes += chunk.byteLength;
    }
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  try {
    const announced = response.headers.get("content-length");
    if (announced !== null && Number(announced) !== bytes)
      throw new Error(`the video download was cut short: ${bytes} of ${announced} bytes from ${host}; nothing was saved`);
    if (bytes === 0) throw new Error(`the video download from ${host} was empty; nothing was saved`);
    // link() fails if the target exists (no overwrite, even racing another writer); rename() replaces.
    if (force) await rename(temporary, path);
    else
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        throw error.code === "EEXIST" ? new UsageError(`${out} exists: pick another --out, or add --force to replace it`) : error;
      });
  } finally {
    await rm(temporary, { force: true });
  }
  return { path, bytes };
}

/** A size as people read it, exact in bytes below 1 KB and to a tenth above: never "(0 KB)". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes.toLocaleString("en-US")} bytes)`;
}
