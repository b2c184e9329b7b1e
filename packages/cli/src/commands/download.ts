import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { downloadVideo } from "@vclm/batch/node";
import { UsageError } from "../usage.js";

const exists = (path: string) =>
  access(resolve(path), constants.F_OK).then(
    () => true,
    () => false,
  );

const taken = (out: string) => new UsageError(`${out} exists: pick another --out, or add --force to replace it`);

/**
 * Refuses, before anything is submitted or downloaded, an --out the video could not be saved to (a
 * folder, or in a folder that does not exist: the job would be paid for and its video left at the
 * service) and, unless `force` is given, a file that exists: a typo in --out must not cost a document.
 */
export async function checkOut(out: string, force: boolean): Promise<void> {
  const path = resolve(out);
  if (/[/\\]$/.test(out) || (await stat(path).catch(() => undefined))?.isDirectory())
    throw new UsageError(`--out ${out} is a folder: give the video's file name, e.g. --out ${resolve(out, "dance.mp4")}`);
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(path)} does not exist: create it first, or pick another --out`);
  try {
    await access(dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the folder ${dirname(path)} is not writable: pick another --out`);
  }
  if (!force && (await exists(out))) throw taken(out);
}

/** The first of `NAME.mp4`, `NAME-2.mp4`, `NAME-3.mp4`... that is free: a default name never refuses a second run. */
export async function freeName(name: string): Promise<string> {
  for (let n = 2, candidate = name; ; n++) {
    if (!(await exists(candidate))) return candidate;
    candidate = name.replace(/(\.mp4)?$/, `-${n}$1`);
  }
}

/**
 * Saves a video URL to a file (checked, resumed with Range when cut: see downloadVideo) and
 * returns its absolute path and exact size; never over an existing file unless `force`. A default
 * name (`chosen`) taken meanwhile moves on to the next free one.
 */
export async function download(
  url: string,
  out: string,
  { force = false, chosen = false, signal }: { force?: boolean; chosen?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<{ path: string; bytes: number }> {
  for (let target = out; ; target = await freeName(out)) {
    try {
      return await downloadVideo(url, target, { replace: force, signal });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!chosen) throw taken(target);
    }
  }
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
