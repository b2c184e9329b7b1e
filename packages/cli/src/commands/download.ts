import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { downloadVideo } from "@vclm/batch/node";
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
 * Saves a video URL to a file (checked, resumed with Range when cut: see downloadVideo) and
 * returns its absolute path and exact size; never over an existing file unless `force`.
 */
export async function download(url: string, out: string, { force = false } = {}): Promise<{ path: string; bytes: number }> {
  return downloadVideo(url, out, { replace: force }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EEXIST" ? new UsageError(`${out} exists: pick another --out, or add --force to replace it`) : error;
  });
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
